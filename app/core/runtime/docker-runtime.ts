// The StackRuntime on a Docker engine, through dockerode. Everything it makes carries the
// stack's labels (names.ts) and is found again by them; published ports bind to 127.0.0.1.
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type {
  ApplyResult,
  ContainerState,
  ContainerStats,
  FaultKind,
  ReplicaLag,
  ServiceRole,
  ServiceStatus,
  StackStatus,
} from '../../contract/stack.js';
import { diff } from '../topology/diff.js';
import { apiConfigOf, plan, probeFor, type PlanContext, type Role, type ServiceSpec } from '../topology/plan.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { pushApiConfig } from './api-admin.js';
import { toContainerStats, type DockerStatsJson } from './container-stats.js';
import { toCreateOptions } from './container-spec.js';
import {
  asDockerError,
  containerLogs,
  createDocker,
  execIn,
  isConflict,
  isNotFound,
  pingDocker,
} from './docker-client.js';
import { LabError, NoSuchServiceError, PortInUseError, StackNotRunningError, UnhealthyError } from './errors.js';
import { ensureImages } from './images.js';
import { checkStackName, containerName, LABEL, networkName, stackFilter, volumeName } from './names.js';
import { readReplication } from './replication.js';
import { runProbe } from './health-probe.js';
import type { ProgressSink, StackRuntime } from './stack-runtime.js';
import { StackStateFile } from './stack-state.js';

export interface DockerRuntimeOptions {
  stackDir: string;
  dataDir: string;
  appVersion: string;
  docker?: Docker;
  /** Builds stack/api/dist/server.js before the api image is built (skipped in packaged apps). */
  prepareApiBundle?: () => Promise<void>;
  /** How long a service may take to become healthy. */
  healthTimeoutMs?: number;
  /** Data set the API seeds (tests use a smaller one). */
  seed?: PlanContext['seed'];
}

type ContainerInfo = Docker.ContainerInfo;

const HEALTH_POLL_MS = 200;

export class DockerRuntime implements StackRuntime {
  readonly docker: Docker;
  private readonly state: StackStateFile;
  private readonly secretsCache = new Map<string, { key: string; ctx: PlanContext }>();

  constructor(private readonly opts: DockerRuntimeOptions) {
    this.docker = opts.docker ?? createDocker();
    this.state = new StackStateFile(opts.dataDir);
  }

  ping(): Promise<void> {
    return pingDocker(this.docker);
  }

  // ---------------------------------------------------------------- reading the stack

  private async containers(stack: string): Promise<ContainerInfo[]> {
    try {
      return await this.docker.listContainers({ all: true, filters: stackFilter(stack) });
    } catch (err) {
      throw asDockerError(this.docker, err);
    }
  }

  private serviceOf(c: ContainerInfo): string {
    return c.Labels[LABEL.service];
  }

  async listStacks(): Promise<string[]> {
    const [cs, nets] = await Promise.all([
      this.docker.listContainers({ all: true, filters: { label: [LABEL.stack] } }),
      this.docker.listNetworks({ filters: { label: [LABEL.stack] } }),
    ]);
    return [...new Set([...cs.map((c) => c.Labels[LABEL.stack]), ...nets.map((n) => n.Labels?.[LABEL.stack] ?? '')])]
      .filter(Boolean)
      .sort();
  }

  async status(stack: string): Promise<StackStatus> {
    checkStackName(stack);
    const cs = await this.containers(stack);
    const { dbPassword } = await this.secrets(stack, cs);
    const services = (await Promise.all(cs.map((c) => this.withHealth(toServiceStatus(c, stack), dbPassword)))).sort(
      (a, b) => serviceOrder(a.name) - serviceOrder(b.name) || a.name.localeCompare(b.name),
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
      topology: running ? await this.currentTopology(stack, cs) : null,
      entryUrl: url(entry, 'entry'),
      lbUrl: url(lb, 'entry'),
      edgeUrl: url(
        services.find((s) => s.role === 'cdn'),
        'edge',
      ),
      statsUrl: lb?.ports.stats ? `http://${lb.ports.stats}/stats` : null,
    };
  }

  async services(stack: string): Promise<ServiceStatus[]> {
    return (await this.containers(checkStackName(stack))).map((c) => toServiceStatus(c, stack));
  }

  private async withHealth(s: ServiceStatus, dbPassword: string): Promise<ServiceStatus> {
    if (s.state !== 'running' && s.state !== 'paused') return { ...s, health: 'none' };
    const probe = probeFor(s.role, Boolean(s.ports.entry) && s.role === 'api');
    const [host, port] = (s.ports[probe.purpose] ?? '').split(':');
    if (!port) return { ...s, health: 'none' };
    return {
      ...s,
      health: (await runProbe(probe, { host, port: Number(port) }, dbPassword)) ? 'healthy' : 'unhealthy',
    };
  }

  /** The topology the stack runs: the state file, else rebuilt from the network label and the containers. */
  private async currentTopology(stack: string, cs?: ContainerInfo[]): Promise<Topology | null> {
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
    const count = (prefix: string) => list.filter((c) => this.serviceOf(c).startsWith(prefix)).length;
    const has = (name: string) => list.some((c) => this.serviceOf(c) === name);
    base.api.instances = Math.max(1, count('api-'));
    base.database.replicas = count('db-replica-');
    base.cache.enabled = has('cache');
    base.edgeCache.enabled = has('cdn');
    base.loadBalancer.enabled = has('lb');
    return base;
  }

  /** The stack's secrets, read back from its containers (an API instance, the primary), or new
   *  ones for a new stack. Kept per stack while those same containers run: status() is polled. */
  private async secrets(stack: string, cs: ContainerInfo[]): Promise<PlanContext> {
    const api = cs.find((c) => c.Labels[LABEL.role] === 'api');
    const db = cs.find((c) => this.serviceOf(c) === 'db-primary');
    const key = `${api?.Id ?? ''}/${db?.Id ?? ''}`;
    const known = this.secretsCache.get(stack);
    if (known && known.key === key && key !== '/') return known.ctx;
    const envOf = async (c: ContainerInfo | undefined) => {
      if (!c) return undefined;
      const info = await this.docker.getContainer(c.Id).inspect();
      return Object.fromEntries(
        (info.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
      );
    };
    const [apiEnv, dbEnv] = await Promise.all([envOf(api), envOf(db)]);
    const ctx: PlanContext = {
      adminToken: apiEnv?.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'),
      dbPassword: dbEnv?.DB_PASSWORD ?? apiEnv?.DB_PASSWORD ?? randomBytes(18).toString('base64url'),
      seed: this.opts.seed,
    };
    if (key !== '/') this.secretsCache.set(stack, { key, ctx });
    return ctx;
  }

  // ---------------------------------------------------------------- images

  async prepareImages(topology: Topology, onProgress: ProgressSink = () => undefined): Promise<Record<Role, string>> {
    return this.imageTags(plan(topology, { adminToken: '', dbPassword: '' }), onProgress);
  }

  private imageTags(specs: ServiceSpec[], onProgress: ProgressSink): Promise<Record<Role, string>> {
    return ensureImages(
      this.docker,
      this.opts.stackDir,
      specs.map((s) => s.role),
      (p) => onProgress({ service: p.image, phase: 'image', message: p.message, progress: p.progress, at: Date.now() }),
      this.opts.prepareApiBundle ?? (async () => undefined),
    );
  }

  // ---------------------------------------------------------------- up / apply / down

  async up(stack: string, topology: Topology, onProgress: ProgressSink = () => undefined): Promise<StackStatus> {
    checkStackName(stack);
    const next = parseTopology(topology);
    await this.ping();
    const cs = await this.containers(stack);
    const runningBefore = cs.some((c) => c.State === 'running' || c.State === 'paused');
    const from = runningBefore ? await this.currentTopology(stack, cs) : null;
    if (!runningBefore) {
      // Leftovers of a crashed session of this stack are removed, then everything starts anew.
      await this.removeContainers(cs, onProgress);
      await this.checkPortsFree(next);
    }
    await this.converge(stack, from, next, onProgress, { heal: true });
    return this.status(stack);
  }

  async apply(stack: string, topology: Topology, onProgress: ProgressSink = () => undefined): Promise<ApplyResult> {
    checkStackName(stack);
    const next = parseTopology(topology);
    await this.ping();
    const from = await this.currentTopology(stack);
    if (!from) throw new StackNotRunningError(stack);
    const changes = diff(from, next);
    await this.converge(stack, from, next, onProgress, { heal: false });
    return { changes, topology: next, status: await this.status(stack) };
  }

  /** Brings the running stack from `from` (null: nothing runs) to `to`. Order matters for live changes:
   *  new services start before the API is told about them, and services the API stops using are removed after.
   *  `heal` (up) also recreates containers a fault stopped; apply leaves them as the user made them. */
  private async converge(
    stack: string,
    from: Topology | null,
    to: Topology,
    onProgress: ProgressSink,
    o: { heal: boolean },
  ): Promise<void> {
    let cs = await this.containers(stack);
    const ctx = await this.secrets(stack, cs);
    const specs = plan(to, ctx);
    await this.ensureNetwork(stack, to);

    const changes = from ? diff(from, to) : [];
    const restart = new Set(changes.filter((c) => c.kind === 'restart').flatMap((c) => c.services));
    const wanted = new Set(specs.map((s) => s.name));
    // Containers that must be recreated: restarted by the change, or (when healing) stopped by a fault.
    const stale = cs.filter(
      (c) =>
        wanted.has(this.serviceOf(c)) &&
        (restart.has(this.serviceOf(c)) || (o.heal && !['running', 'paused'].includes(c.State))),
    );
    if (stale.length) {
      await this.removeContainers(stale, onProgress, { graceful: true });
      if (restart.size) await this.checkPortsFree(to);
      cs = await this.containers(stack);
    }

    const existing = new Set(cs.map((c) => this.serviceOf(c)));
    const toStart = specs.filter((s) => !existing.has(s.name));
    if (toStart.length) {
      const images = await this.imageTags(toStart, onProgress);
      await this.startServices(stack, toStart, existing, images, ctx.dbPassword, onProgress);
    }

    if (from) {
      const cfg = apiConfigOf(to);
      if (JSON.stringify(cfg) !== JSON.stringify(apiConfigOf(from))) {
        const running = cs
          .map((c) => toServiceStatus(c, stack))
          .filter((s) => s.role === 'api' && s.state === 'running');
        await Promise.all(
          running.map(async (s) => {
            onProgress({
              service: s.name,
              phase: 'update',
              message: 'switching cache and read routing',
              at: Date.now(),
            });
            await pushApiConfig(`http://${s.ports.api ?? s.ports.entry}`, ctx.adminToken, cfg);
          }),
        );
      }
      await this.applyInPlace(from, to, cs, onProgress);
    }

    const unwanted = cs.filter((c) => !wanted.has(this.serviceOf(c)));
    await this.removeContainers(unwanted, onProgress, { graceful: true, volumes: true });
    this.state.write(stack, to);
  }

  /** Live changes that need no new container: resource limits, Redis settings, replica apply delay. */
  private async applyInPlace(
    from: Topology,
    to: Topology,
    cs: ContainerInfo[],
    onProgress: ProgressSink,
  ): Promise<void> {
    const present = (role: string) => cs.filter((c) => c.Labels[LABEL.role] === role && c.State === 'running');
    const update = async (list: ContainerInfo[], r: { cpus: number; memoryMb: number }) =>
      Promise.all(
        list.map(async (c) => {
          onProgress({
            service: this.serviceOf(c),
            phase: 'update',
            message: `limits: ${r.cpus} CPU, ${r.memoryMb} MB`,
            at: Date.now(),
          });
          const mem = r.memoryMb * 1024 * 1024;
          await this.docker
            .getContainer(c.Id)
            .update({ NanoCpus: Math.round(r.cpus * 1e9), Memory: mem, MemorySwap: mem });
        }),
      );
    if (from.api.cpus !== to.api.cpus || from.api.memoryMb !== to.api.memoryMb) await update(present('api'), to.api);
    if (from.database.cpus !== to.database.cpus || from.database.memoryMb !== to.database.memoryMb)
      await update(present('db'), to.database);

    const cache = present('cache')[0];
    if (
      cache &&
      from.cache.enabled &&
      (from.cache.maxMemoryMb !== to.cache.maxMemoryMb || from.cache.evictionPolicy !== to.cache.evictionPolicy)
    ) {
      onProgress({
        service: 'cache',
        phase: 'update',
        message: `maxmemory ${to.cache.maxMemoryMb}mb, ${to.cache.evictionPolicy}`,
        at: Date.now(),
      });
      await this.execChecked(cache, [
        'redis-cli',
        'CONFIG',
        'SET',
        'maxmemory',
        `${to.cache.maxMemoryMb}mb`,
        'maxmemory-policy',
        to.cache.evictionPolicy,
      ]);
    }
    if (from.database.replicaApplyDelayMs !== to.database.replicaApplyDelayMs) {
      const replicas = present('db').filter((c) => this.serviceOf(c).startsWith('db-replica-'));
      await Promise.all(
        replicas.map(async (c) => {
          onProgress({
            service: this.serviceOf(c),
            phase: 'update',
            message: `recovery_min_apply_delay = ${to.database.replicaApplyDelayMs} ms`,
            at: Date.now(),
          });
          await this.execChecked(c, [
            'psql',
            '-U',
            'scalelab',
            '-d',
            'scalelab',
            '-v',
            'ON_ERROR_STOP=1',
            '-qc',
            `ALTER SYSTEM SET recovery_min_apply_delay = '${to.database.replicaApplyDelayMs}ms'`,
            '-qc',
            'SELECT pg_reload_conf()',
          ]);
        }),
      );
    }
  }

  private async execChecked(c: ContainerInfo, cmd: string[]): Promise<string> {
    const res = await execIn(this.docker, this.docker.getContainer(c.Id), cmd);
    if (res.exitCode !== 0)
      throw new LabError(`${cmd.join(' ')} failed in ${this.serviceOf(c)}: ${res.output.trim()}`, 'EXEC_FAILED');
    return res.output;
  }

  private async ensureNetwork(stack: string, topology: Topology): Promise<void> {
    try {
      await this.docker.getNetwork(networkName(stack)).inspect();
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.docker.createNetwork({
          Name: networkName(stack),
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: {
            [LABEL.stack]: stack,
            [LABEL.version]: this.opts.appVersion,
            [LABEL.topology]: JSON.stringify(topology),
          },
        });
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  }

  /** Host ports the topology publishes must be free (checked before anything that would hold them starts). */
  private async checkPortsFree(t: Topology): Promise<void> {
    const wanted: Array<[number, string]> = [[t.ports.entry, 'ports.entry']];
    if (t.edgeCache.enabled) wanted.push([t.ports.edge, 'ports.edge']);
    for (const [port, field] of wanted) {
      if (port === 0) continue;
      if (!(await portFree(port))) throw new PortInUseError(port, field);
    }
  }

  /** Starts services as soon as what they depend on is healthy; independent ones in parallel. */
  private async startServices(
    stack: string,
    specs: ServiceSpec[],
    alreadyRunning: Set<string>,
    images: Record<Role, string>,
    dbPassword: string,
    onProgress: ProgressSink,
  ): Promise<void> {
    const started = new Map<string, Promise<void>>();
    for (const spec of specs) {
      started.set(
        spec.name,
        (async () => {
          const deps = spec.dependsOn
            .filter((d) => !alreadyRunning.has(d))
            .map((d) => started.get(d))
            .filter(Boolean);
          await Promise.all(deps);
          await this.startService(stack, spec, images[spec.role], dbPassword, onProgress);
        })(),
      );
    }
    const results = await Promise.allSettled(started.values());
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async startService(
    stack: string,
    spec: ServiceSpec,
    image: string,
    dbPassword: string,
    onProgress: ProgressSink,
  ): Promise<void> {
    const emit = (phase: 'create' | 'start' | 'health' | 'ready' | 'error', message: string) =>
      onProgress({ service: spec.name, phase, message, at: Date.now() });
    if (spec.volumePath) {
      await this.docker.createVolume({
        Name: volumeName(stack, spec.name),
        Labels: { [LABEL.stack]: stack, [LABEL.service]: spec.name },
      });
    }
    emit('create', image);
    const container = await this.docker.createContainer(
      toCreateOptions(spec, { stack, image, appVersion: this.opts.appVersion }),
    );
    emit('start', 'starting');
    try {
      await container.start();
    } catch (err) {
      const msg = (err as Error).message;
      const port = /(?:port is already allocated|address already in use).*?(\d{2,5})?/i.exec(msg);
      const published = spec.ports.find((p) => p.host !== 0);
      if (port && published)
        throw new PortInUseError(published.host, published.purpose === 'edge' ? 'ports.edge' : 'ports.entry');
      emit('error', msg);
      throw new LabError(`Could not start ${spec.name}: ${msg}`, 'START_FAILED');
    }
    emit('health', 'waiting for its health check');
    await this.waitHealthy(container, spec, dbPassword);
    emit('ready', 'healthy');
  }

  private async waitHealthy(container: Docker.Container, spec: ServiceSpec, dbPassword: string): Promise<void> {
    const timeoutMs = this.opts.healthTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    const port = spec.ports.find((p) => p.purpose === spec.probe.purpose)!;
    let target: { host: string; port: number } | undefined;
    for (let i = 0; ; i++) {
      // The container's state is read every few polls only: a probe is cheap, an inspect less so.
      if (i % 5 === 0 || !target) {
        const info = await container.inspect();
        if (!info.State.Running) {
          throw new UnhealthyError(
            spec.name,
            `its container exited with code ${info.State.ExitCode}`,
            await containerLogs(container, 30),
          );
        }
        const hostPort = info.NetworkSettings.Ports?.[`${port.container}/tcp`]?.find(
          (b) => b.HostIp === '127.0.0.1',
        )?.HostPort;
        target = hostPort ? { host: '127.0.0.1', port: Number(hostPort) } : undefined;
      }
      if (target && (await runProbe(spec.probe, target, dbPassword))) return;
      if (Date.now() > deadline) {
        throw new UnhealthyError(
          spec.name,
          `its ${spec.probe.kind} health probe still fails after ${Math.round(timeoutMs / 1000)} s`,
          await containerLogs(container, 30),
        );
      }
      await sleep(HEALTH_POLL_MS);
    }
  }

  private async removeContainers(
    list: ContainerInfo[],
    onProgress: ProgressSink,
    o: { graceful?: boolean; volumes?: boolean } = {},
  ): Promise<void> {
    await Promise.all(
      list.map(async (c) => {
        const service = this.serviceOf(c);
        onProgress({
          service,
          phase: 'remove',
          message: o.graceful && c.State === 'running' ? 'draining and stopping' : 'removing',
          at: Date.now(),
        });
        const container = this.docker.getContainer(c.Id);
        try {
          // A graceful stop lets an API instance drain (see stack/api/src/server.ts) so no request is lost.
          if (o.graceful && c.State === 'running') await container.stop({ t: 10 }).catch(() => undefined);
          await container.remove({ force: true, v: true });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        if (o.volumes)
          await this.docker
            .getVolume(volumeName(c.Labels[LABEL.stack], service))
            .remove()
            .catch(() => undefined);
      }),
    );
  }

  async down(stack: string, onProgress: ProgressSink = () => undefined): Promise<void> {
    checkStackName(stack);
    await this.ping();
    await this.removeContainers(await this.containers(stack), onProgress);
    const [nets, vols] = await Promise.all([
      this.docker.listNetworks({ filters: stackFilter(stack) }),
      this.docker.listVolumes({ filters: stackFilter(stack) }),
    ]);
    await Promise.all(
      nets.map((n) =>
        this.docker
          .getNetwork(n.Id)
          .remove()
          .catch((e) => {
            if (!isNotFound(e)) throw e;
          }),
      ),
    );
    await Promise.all(
      (vols.Volumes ?? []).map((v) =>
        this.docker
          .getVolume(v.Name)
          .remove()
          .catch((e) => {
            if (!isNotFound(e)) throw e;
          }),
      ),
    );
    this.state.remove(stack);
    onProgress({ service: stack, phase: 'remove', message: 'stack removed', at: Date.now() });
  }

  async reap(): Promise<string[]> {
    await this.ping();
    const reaped: string[] = [];
    for (const stack of await this.listStacks()) {
      const cs = await this.containers(stack);
      if (cs.some((c) => c.State === 'running' || c.State === 'paused' || c.State === 'restarting')) continue;
      await this.down(stack);
      reaped.push(stack);
    }
    return reaped;
  }

  // ---------------------------------------------------------------- faults, logs, stats, replication

  private async serviceContainer(
    stack: string,
    service: string,
  ): Promise<{ info: ContainerInfo; container: Docker.Container }> {
    const cs = await this.containers(stack);
    const info = cs.find((c) => this.serviceOf(c) === service);
    if (!info)
      throw new NoSuchServiceError(
        service,
        cs.map((c) => this.serviceOf(c)),
      );
    return { info, container: this.docker.getContainer(info.Id) };
  }

  async fault(stack: string, service: string, kind: FaultKind): Promise<void> {
    const { info, container } = await this.serviceContainer(stack, service);
    switch (kind) {
      case 'kill':
        return void (await container.kill());
      case 'stop':
        return void (await container.stop({ t: 10 }));
      case 'pause':
        return void (await container.pause());
      case 'unpause':
        return void (await container.unpause());
      case 'restart':
        return void (await container.restart({ t: 10 }));
      case 'start':
        return void (await container.start());
      case 'pause-replay':
      case 'resume-replay': {
        if (!service.startsWith('db-replica-'))
          throw new LabError(`${kind} applies to a replica, not to ${service}`, 'BAD_FAULT');
        const fn = kind === 'pause-replay' ? 'pg_wal_replay_pause()' : 'pg_wal_replay_resume()';
        await this.execChecked(info, [
          'psql',
          '-U',
          'scalelab',
          '-d',
          'scalelab',
          '-v',
          'ON_ERROR_STOP=1',
          '-qc',
          `SELECT ${fn}`,
        ]);
        return;
      }
      default:
        throw new LabError(`unknown fault "${kind as string}"`, 'BAD_FAULT');
    }
  }

  async logs(stack: string, service: string, tail = 200): Promise<string> {
    const { container } = await this.serviceContainer(stack, service);
    return containerLogs(container, tail);
  }

  stats(stack: string, onSample: (s: ContainerStats) => void): () => void {
    const streams = new Map<string, NodeJS.ReadableStream & { destroy?: () => void }>();
    let stopped = false;
    const follow = async () => {
      const cs = (await this.containers(stack).catch(() => [])).filter((c) => c.State === 'running');
      for (const c of cs) {
        if (streams.has(c.Id)) continue;
        const stream = (await this.docker
          .getContainer(c.Id)
          .stats({ stream: true })
          .catch(() => null)) as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
        if (!stream) continue;
        if (stopped) {
          stream.destroy?.();
          return;
        }
        streams.set(c.Id, stream);
        let buf = '';
        stream.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) {
              try {
                onSample(toContainerStats(this.serviceOf(c), JSON.parse(line) as DockerStatsJson));
              } catch {
                /* partial sample */
              }
            }
          }
        });
        const drop = () => streams.delete(c.Id);
        stream.on('end', drop);
        stream.on('error', drop);
      }
    };
    void follow();
    // Containers added while load runs (scaling up) get a stream of their own.
    const timer = setInterval(() => void follow(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
      for (const s of streams.values()) s.destroy?.();
      streams.clear();
    };
  }

  async replication(stack: string): Promise<ReplicaLag[]> {
    const st = await this.status(stack);
    const ep = (s: ServiceStatus) => {
      const [host, port] = s.ports.db.split(':');
      return { name: s.name, host, port: Number(port) };
    };
    const primary = st.services.find((s) => s.name === 'db-primary' && s.ports.db);
    if (!primary) throw new StackNotRunningError(stack);
    const replicas = st.services.filter((s) => s.name.startsWith('db-replica-') && s.ports.db && s.state === 'running');
    const { dbPassword } = await this.secrets(stack, await this.containers(stack));
    return readReplication(ep(primary), replicas.map(ep), dbPassword);
  }

  /** The secrets of a running stack: the engine's key to the API's live switches, the database password. */
  async stackSecrets(stack: string): Promise<{ adminToken: string; dbPassword: string }> {
    const cs = await this.containers(stack);
    if (!cs.length) throw new StackNotRunningError(stack);
    const { adminToken, dbPassword } = await this.secrets(stack, cs);
    return { adminToken, dbPassword };
  }
}

// ------------------------------------------------------------------ helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const ORDER = ['cdn', 'lb', 'api', 'cache', 'db-primary', 'db-replica'];
function serviceOrder(name: string): number {
  const i = ORDER.findIndex((p) => name === p || name.startsWith(`${p}-`) || name.startsWith(p));
  return i < 0 ? ORDER.length : i;
}

function toServiceStatus(c: ContainerInfo, stack: string): ServiceStatus {
  const purposes = JSON.parse(c.Labels[LABEL.ports] ?? '{}') as Record<string, string>;
  const ports: Record<string, string> = {};
  for (const p of c.Ports ?? []) {
    if (!p.PublicPort || (p.IP && p.IP !== '127.0.0.1')) continue;
    const purpose = purposes[String(p.PrivatePort)];
    if (purpose) ports[purpose] = `127.0.0.1:${p.PublicPort}`;
  }
  const rank = (k: string) => ['entry', 'edge', 'api', 'stats', 'db', 'cache'].indexOf(k);
  const sortedPorts = Object.fromEntries(Object.entries(ports).sort(([a], [b]) => rank(a) - rank(b)));
  const netw = c.NetworkSettings?.Networks?.[networkName(stack)];
  return {
    name: c.Labels[LABEL.service],
    role: c.Labels[LABEL.role] as ServiceRole,
    container: (c.Names?.[0] ?? '').replace(/^\//, '') || containerName(stack, c.Labels[LABEL.service]),
    state: c.State as ContainerState,
    health: 'none',
    ports: sortedPorts,
    ip: netw?.IPAddress || undefined,
  };
}
