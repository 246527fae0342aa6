// Reading a stack on a Docker engine: its containers (found by label), each service's state,
// health and addresses, the topology it runs and its secrets. Nothing here changes the stack.
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import type { ContainerState, ServiceRole, ServiceStatus, StackStatus } from '../../contract/stack.js';
import { BASE_VERSION } from '../../contract/topology.js';
import { isApiName, isEtcdName, isReplicaName, isShardName, SERVICE, serviceRank } from '../../contract/services.js';
import { probeFor, type PlanContext } from '../topology/plan.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import type { ObservedContainer } from './convergence-plan.js';
import { SECRET_ENV } from '../swarm/swarm-secrets.js';
import { asDockerError, execIn } from './docker-client.js';
import { runProbe } from './health-probe.js';
import { checkStackName, containerName, LABEL, networkName, stackFilter } from './names.js';
import type { StackStateFile } from './stack-state.js';
import { gatewayAddresses, GATEWAY_LABEL, isSwarmTask, resolveTasks } from './swarm-tasks.js';

export type ContainerInfo = Docker.ContainerInfo;

export const serviceOf = (c: ContainerInfo): string => c.Labels[LABEL.service];

export const observed = (c: ContainerInfo): ObservedContainer => ({
  id: c.Id,
  service: serviceOf(c),
  role: c.Labels[LABEL.role] as ObservedContainer['role'],
  state: c.State as ContainerState,
  ...(c.Labels[LABEL.role] === 'api' ? { version: c.Labels[LABEL.apiVersion] ?? BASE_VERSION } : {}),
});

export class StackObserver {
  /** Secrets are read back from containers' environment (an inspect each): kept while the same containers run. */
  private readonly secretsCache = new Map<string, { key: string; ctx: PlanContext }>();

  constructor(
    private readonly docker: Docker,
    private readonly state: StackStateFile,
    private readonly seed?: PlanContext['seed'],
  ) {}

  async containers(stack: string): Promise<ContainerInfo[]> {
    let list: ContainerInfo[];
    try {
      list = await this.docker.listContainers({ all: true, filters: stackFilter(stack) });
    } catch (err) {
      throw asDockerError(this.docker, err);
    }
    // A stack on Swarm: its tasks' containers named by their slots, reached on docker_gwbridge.
    return list.some(isSwarmTask) ? resolveTasks(list, await gatewayAddresses(this.docker)) : list;
  }

  async listStacks(): Promise<string[]> {
    const [cs, nets] = await Promise.all([
      this.docker.listContainers({ all: true, filters: { label: [LABEL.stack] } }),
      this.docker.listNetworks({ filters: { label: [LABEL.stack] } }),
    ]);
    const names = [...cs.map((c) => c.Labels[LABEL.stack]), ...nets.map((n) => n.Labels?.[LABEL.stack] ?? '')];
    return [...new Set(names)].filter(Boolean).sort();
  }

  /** How long ago the stack's newest container or network was made (Infinity when it has none). */
  async newestPartAgeMs(stack: string, cs: ContainerInfo[]): Promise<number> {
    const nets = await this.docker.listNetworks({ filters: stackFilter(stack) });
    const created = [...cs.map((c) => c.Created * 1000), ...nets.map((n) => Date.parse(n.Created ?? ''))];
    const newest = Math.max(...created.filter(Number.isFinite));
    return Number.isFinite(newest) ? Date.now() - newest : Infinity;
  }

  /** Every service with its state, health (a probe each) and addresses, the URLs, the topology. */
  async status(stack: string, cs?: ContainerInfo[]): Promise<StackStatus> {
    checkStackName(stack);
    const list = cs ?? (await this.containers(stack));
    const { dbPassword } = await this.secrets(stack, list);
    const services = (await Promise.all(list.map((c) => withHealth(toServiceStatus(c, stack), dbPassword)))).sort(
      (a, b) => serviceRank(a.name) - serviceRank(b.name) || a.name.localeCompare(b.name),
    );
    const url = (svc: ServiceStatus | undefined, purpose: string) =>
      svc?.ports[purpose] ? `http://${svc.ports[purpose]}` : null;
    const entry = services.find((s) => s.ports.entry);
    const lb = services.find((s) => s.role === 'lb');
    const running = services.some((s) => s.state === 'running' || s.state === 'paused');
    return {
      stack,
      running,
      services,
      topology: running ? await this.currentTopology(stack, list) : null,
      entryUrl: url(entry, 'entry'),
      lbUrl: url(lb, 'entry'),
      edgeUrl: url(
        services.find((s) => s.role === 'cdn'),
        'edge',
      ),
      statsUrl: lb?.ports.stats ? `http://${lb.ports.stats}/stats` : null,
      tlsUrl: lb?.ports.tls ? `https://${lb.ports.tls}` : null,
      prometheusUrl: url(
        services.find((s) => s.role === 'prometheus'),
        'monitor',
      ),
      alertmanagerUrl: url(
        services.find((s) => s.role === 'alertmanager'),
        'alerts',
      ),
    };
  }

  /** The services without health probes: cheap, collectors call it often. */
  async services(stack: string): Promise<ServiceStatus[]> {
    return (await this.containers(checkStackName(stack))).map((c) => toServiceStatus(c, stack));
  }

  /** The topology the stack runs: the state file, else rebuilt from the network label and the containers. */
  async currentTopology(stack: string, cs?: ContainerInfo[]): Promise<Topology | null> {
    const saved = this.state.read(stack);
    if (saved) return saved;
    const list = cs ?? (await this.containers(stack));
    if (list.length === 0) return null;
    let base: Topology;
    try {
      const netInfo = await this.docker.getNetwork(networkName(stack)).inspect();
      base = parseTopology(JSON.parse(netInfo.Labels?.[LABEL.topology] ?? '{}'));
    } catch {
      base = parseTopology({});
    }
    const names = list.map(serviceOf);
    base.api.instances = Math.max(1, names.filter(isApiName).length);
    base.database.replicas = names.filter(isReplicaName).length;
    base.database.shards = 1 + names.filter(isShardName).length;
    base.database.ha = names.includes(SERVICE.dbRouter);
    if (base.database.ha) base.database.etcdMembers = names.filter(isEtcdName).length === 3 ? 3 : 1;
    base.cache.enabled = names.includes(SERVICE.cache);
    base.edgeCache.enabled = names.includes(SERVICE.cdn);
    base.loadBalancer.enabled = names.includes(SERVICE.lb);
    return base;
  }

  /** The stack's secrets, read back from its containers (an API instance, the primary), or new
   *  ones for a new stack. Kept per stack while those same containers run: status() is polled. */
  async secrets(stack: string, cs: ContainerInfo[]): Promise<PlanContext> {
    const api = cs.find((c) => c.Labels[LABEL.role] === 'api');
    const db = cs.find((c) => serviceOf(c) === SERVICE.primary);
    const cache = cs.find((c) => serviceOf(c) === SERVICE.cache);
    const key = `${api?.Id ?? ''}/${db?.Id ?? ''}/${cache?.Id ?? ''}`;
    const known = this.secretsCache.get(stack);
    if (known && known.key === key && key !== '//') return known.ctx;
    const envOf = async (c: ContainerInfo | undefined) => {
      if (!c) return undefined;
      const handle = this.docker.getContainer(c.Id);
      const info = await handle.inspect();
      const env: Record<string, string> = Object.fromEntries(
        (info.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      );
      // A Docker secret (the Swarm target) is a file inside the task, named by NAME_FILE: read there.
      for (const k of SECRET_ENV) {
        const file = env[`${k}_FILE`];
        if (env[k] !== undefined || !file) continue;
        const read = await execIn(this.docker, handle, ['cat', file], 5000).catch(() => null);
        if (read?.exitCode === 0) env[k] = read.output.trim();
      }
      return env;
    };
    const [apiEnv, dbEnv, cacheEnv] = await Promise.all([envOf(api), envOf(db), envOf(cache)]);
    const ctx: PlanContext = {
      adminToken: apiEnv?.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
      dbPassword: dbEnv?.DB_PASSWORD ?? apiEnv?.DB_PASSWORD ?? randomBytes(18).toString('base64url'),
      // A stack made before Redis had a password keeps running without one ('').
      redisPassword:
        cacheEnv?.REDIS_PASSWORD ??
        apiEnv?.REDIS_PASSWORD ??
        (api || cache ? '' : randomBytes(18).toString('base64url')),
      seed: this.seed,
    };
    if (key !== '//') this.secretsCache.set(stack, { key, ctx });
    return ctx;
  }
}

async function withHealth(s: ServiceStatus, dbPassword: string): Promise<ServiceStatus> {
  if (s.state !== 'running' && s.state !== 'paused') return { ...s, health: 'none' };
  const probe = probeFor(s.role, Boolean(s.ports.entry) && s.role === 'api', Boolean(s.ports.patroni));
  const [host, port] = (s.ports[probe.purpose] ?? '').split(':');
  if (!port) return { ...s, health: 'none' };
  return { ...s, health: (await runProbe(probe, { host, port: Number(port) }, dbPassword)) ? 'healthy' : 'unhealthy' };
}

const PORT_RANK = ['entry', 'edge', 'tls', 'api', 'stats', 'db', 'cache'];

export function toServiceStatus(c: ContainerInfo, stack: string): ServiceStatus {
  const purposes = JSON.parse(c.Labels[LABEL.ports] ?? '{}') as Record<string, string>;
  const ports: Record<string, string> = {};
  const gateway = c.Labels[GATEWAY_LABEL];
  if (gateway) for (const [port, purpose] of Object.entries(purposes)) ports[purpose] = `${gateway}:${port}`;
  for (const p of c.Ports ?? []) {
    if (!p.PublicPort || (p.IP && p.IP !== '127.0.0.1')) continue;
    const purpose = purposes[String(p.PrivatePort)];
    if (purpose) ports[purpose] = `127.0.0.1:${p.PublicPort}`;
  }
  const sortedPorts = Object.fromEntries(
    Object.entries(ports).sort(([a], [b]) => PORT_RANK.indexOf(a) - PORT_RANK.indexOf(b)),
  );
  const netw = c.NetworkSettings?.Networks?.[networkName(stack)];
  return {
    name: c.Labels[LABEL.service],
    role: c.Labels[LABEL.role] as ServiceRole,
    container: (c.Names?.[0] ?? '').replace(/^\//, '') || containerName(stack, c.Labels[LABEL.service]),
    state: c.State as ContainerState,
    health: 'none',
    ports: sortedPorts,
    ip: netw?.IPAddress || undefined,
    ...(c.Labels[LABEL.role] === 'api' ? { version: c.Labels[LABEL.apiVersion] ?? BASE_VERSION } : {}),
  };
}
