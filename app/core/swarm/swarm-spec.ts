// From the planned services of a topology to Docker Swarm's service specs (pure). The API
// instances become one service whose replicas are the instances: each task is named api-<slot>
// by Swarm's own templates, and every task answers to "api" on the overlay (endpoint mode dnsrr),
// so HAProxy's server-template finds them as it does on one engine. The entry points (the
// balancer, and the edge cache in front of it) are not Swarm services: Swarm's routing mesh
// publishes on every address of every node (moby/moby#26696), so each is a container on the
// manager, published on 127.0.0.1, attached to the overlay; so are Prometheus and Alertmanager,
// whose UIs the user opens too (swarm-monitoring.ts).
import type Docker from 'dockerode';
import { LabError } from '../../contract/errors.js';
import type { Role, ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import { LABEL, networkName, volumeName } from '../runtime/names.js';
import { secretEnv, type SwarmSecrets } from './swarm-secrets.js';
import { pinConstraint } from './swarm-placement.js';

/** The roles this version runs on Swarm; a topology that needs another is refused before anything is made. */
export const SWARM_ROLES = [
  'api',
  'lb',
  'cdn',
  'cache',
  'db',
  'etcd',
  'dbrouter',
  'redis-exporter',
  'prometheus',
  'alertmanager',
] as const;
/** Roles whose data is a volume on one node, each service pinned there (swarm-placement.ts). */
export const PINNED_ROLES: readonly string[] = ['db', 'etcd'];
/** etcd's data directory: a volume on Swarm, where a task started again is a new container (on
 *  one engine the member's container, and its data, stay). */
const ETCD_DATA = '/var/lib/etcd';
/** Roles run as containers on this node, attached to the overlay and published on 127.0.0.1
 *  (the entry points: see above), not as Swarm services. */
export const ENTRY_ROLES: readonly string[] = ['lb', 'cdn', 'prometheus', 'alertmanager'];
export const isEntry = (spec: { role: string }) => ENTRY_ROLES.includes(spec.role);

/** Swarm's name for a stack's service: "scalelab-<stack>-<name>" (one namespace per engine). */
export const swarmServiceName = (stack: string, name: string) => `scalelab-${stack}-${name}`;

/** Swarm's template for a task's slot (1..replicas): an API task is api-<slot>, as instances are on one engine. */
export const SLOT_TEMPLATE = '{{.Task.Slot}}';
export const API_TASK_NAME = `api-${SLOT_TEMPLATE}`;

export interface SwarmContext {
  stack: string;
  /** The image each role runs (prepareImages). */
  images: Record<Role, string>;
  appVersion: string;
  /** Placement: the node label databases are kept to ("scalelab.db"), when the user gave one. */
  dbNodeLabel?: string;
  /** Each database's node (swarm-placement.ts): its data is a volume there. */
  dbPins?: Record<string, string>;
  /** The stack's passwords as Docker secrets (swarm-secrets.ts): each task reads NAME_FILE. */
  secrets?: SwarmSecrets;
}

/** What of a topology Swarm cannot run yet, said in words; empty when it can run all of it. */
export function swarmRefusals(t: Topology, specs: ServiceSpec[]): string[] {
  const out: string[] = [];
  const roles = new Set(specs.map((s) => s.role));
  for (const role of roles)
    if (!(SWARM_ROLES as readonly string[]).includes(role)) out.push(`the ${role} role (${names(specs, role)})`);
  if (!t.loadBalancer.enabled) out.push('an entry without the balancer (on Swarm the balancer is the entry)');
  return out;
}

const names = (specs: ServiceSpec[], role: string) =>
  specs
    .filter((s) => s.role === role)
    .map((s) => s.name)
    .join(', ');

export function refuseUnlessSwarmRuns(t: Topology, specs: ServiceSpec[]): void {
  const refused = swarmRefusals(t, specs);
  if (refused.length)
    throw new LabError(
      `The Swarm target cannot run this topology: it needs ${refused.join(', ')}.`,
      'BAD_INPUT',
      'Bring it up on the local engine (the default target), or turn those parts off for Swarm.',
    );
}

/** The entry points to make again (or make, or remove) between two plans: those whose own spec
 *  differs (what one starts after is no part of it; the edge resolves the balancer each second,
 *  so a new balancer is no change to it; Prometheus's files are written into it and reloaded,
 *  keeping its history: prometheusFilesBetween). */
export function entriesChanged(before: ServiceSpec[], after: ServiceSpec[]): Set<string> {
  const own = (list: ServiceSpec[], name: string) => {
    const s = list.find((x) => x.name === name);
    return JSON.stringify(s ? { ...s, dependsOn: [], env: s.role === 'prometheus' ? {} : s.env } : null);
  };
  const names = new Set([...before, ...after].filter(isEntry).map((s) => s.name));
  return new Set([...names].filter((n) => own(before, n) !== own(after, n)));
}

/** The planned API instances as one spec: the first instance's, its name templated by slot. */
function apiService(specs: ServiceSpec[]): ServiceSpec & { replicas: number } {
  const apis = specs.filter((s) => s.role === 'api');
  const first = apis[0];
  return {
    ...first,
    name: 'api',
    env: { ...first.env, INSTANCE_NAME: API_TASK_NAME },
    replicas: apis.length,
  };
}

/** The task's own health check, run by the engine of the node it lands on: Swarm marks a task
 *  running only once it passes, so readiness reads the same on every node (the manager cannot
 *  reach another node's task addresses). The same probe the local engine runs from outside. */
export function swarmHealthcheck(spec: ServiceSpec): Docker.HealthConfig | undefined {
  const port = spec.ports.find((p) => p.purpose === spec.probe.purpose)?.container;
  if (!port) return undefined;
  const alive = ALIVE[spec.role];
  const test = alive
    ? `curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:${alive}`
    : spec.probe.kind === 'http'
      ? `curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:${port}${spec.probe.path}`
      : spec.probe.kind === 'redis'
        ? // The password from the task's own secret file (or environment), never written into the spec.
          'p=$(cat "${REDIS_PASSWORD_FILE:-/dev/null}" 2>/dev/null); p=${p:-${REDIS_PASSWORD:-}}; ' +
          `redis-cli -p ${port} --no-auth-warning ` +
          '${p:+-a "$p"} ping | grep -q PONG'
        : `pg_isready -q -h 127.0.0.1 -p ${port} -U scalelab`;
  // Every 2 s (each second while starting, on engines that know StartInterval); five misses in a
  // row, 10 s without an answer, and Swarm replaces the task: a slow moment under load is not one.
  return { Test: ['CMD-SHELL', test], Interval: 2e9, Timeout: 3e9, Retries: 5, StartPeriod: 120e9, StartInterval: 1e9 };
}

/** Where Swarm asks whether a task is alive, for the roles whose readiness probe fails while the
 *  cluster around them does (a task failing its check is replaced): the router reaches no leader
 *  during an election, an etcd member answers /health false while the quorum is lost. Their own
 *  process is asked instead: HAProxy's stats page, etcd's /version. */
const ALIVE: Partial<Record<string, string>> = { dbrouter: '8404/stats', etcd: '2379/version' };

/** The Swarm services of the planned specs (the entry points excepted: see above), in start order. */
export function swarmServices(specs: ServiceSpec[], ctx: SwarmContext): Docker.CreateServiceOptions[] {
  const others = specs.filter((s) => s.role !== 'api' && !isEntry(s));
  const out = others.map((s) => serviceOptions(s, 1, ctx));
  if (specs.some((s) => s.role === 'api')) {
    const api = apiService(specs);
    out.push(serviceOptions(api, api.replicas, ctx));
  }
  return out;
}

/** API instances by name as Swarm services of their own, one task each (api-4, api-5...): the
 *  second set of a blue-green or canary deploy, found by the balancer as "api" like the rest. */
export function instanceServices(specs: ServiceSpec[], ctx: SwarmContext): Docker.CreateServiceOptions[] {
  return specs.filter((s) => s.role === 'api').map((s) => serviceOptions(s, 1, ctx));
}

function serviceOptions(spec: ServiceSpec, replicas: number, ctx: SwarmContext): Docker.CreateServiceOptions {
  const net = networkName(ctx.stack);
  // The API service's tasks are named by slot; an instance of its own (instanceServices) by its name.
  const isApi = spec.role === 'api' && spec.name === 'api';
  const labels = {
    [LABEL.stack]: ctx.stack,
    [LABEL.role]: spec.role,
    [LABEL.service]: isApi ? API_TASK_NAME : spec.name,
    [LABEL.version]: ctx.appVersion,
    [LABEL.ports]: JSON.stringify(Object.fromEntries(spec.ports.map((p) => [String(p.container), p.purpose]))),
    ...(spec.version ? { [LABEL.apiVersion]: spec.version } : {}),
  };
  const memory = spec.resources ? spec.resources.memoryMb * 1024 * 1024 : undefined;
  const volumePath = spec.volumePath ?? (spec.role === 'etcd' ? ETCD_DATA : undefined);
  const { env, secrets } = secretEnv(spec.env, ctx.secrets ?? {});
  // Volumes a task creates carry the stack's label, so down() finds and removes them.
  const volumeOptions = {
    NoCopy: false,
    Labels: { [LABEL.stack]: ctx.stack },
    DriverConfig: { Name: 'local', Options: {} },
  };
  return {
    Name: swarmServiceName(ctx.stack, spec.name),
    Labels: { [LABEL.stack]: ctx.stack, [LABEL.role]: spec.role, [LABEL.service]: spec.name },
    TaskTemplate: {
      ContainerSpec: {
        Image: ctx.images[spec.role],
        // Task containers carry the same labels as the local engine's containers (the observer,
        // the collectors and the faults find them by these), the API's named by its slot.
        Labels: labels,
        Hostname: isApi ? API_TASK_NAME : spec.name,
        Env: env,
        Secrets: secrets,
        Init: true,
        Healthcheck: swarmHealthcheck(spec),
        StopGracePeriod: 10e9,
        ...(spec.role === 'db' ? { StopSignal: 'SIGINT' } : {}),
        Mounts: [
          ...(volumePath
            ? [
                {
                  Type: 'volume' as const,
                  Source: volumeName(ctx.stack, spec.name),
                  Target: volumePath,
                  VolumeOptions: volumeOptions,
                },
              ]
            : []),
          ...(spec.sharedVolumes ?? []).map((v) => ({
            Type: 'volume' as const,
            Source: volumeName(ctx.stack, v.name),
            Target: v.path,
            VolumeOptions: volumeOptions,
          })),
        ],
      },
      Resources: spec.resources
        ? { Limits: { NanoCPUs: Math.round(spec.resources.cpus * 1e9), MemoryBytes: memory } }
        : {},
      // Swarm replaces a task that ends, whatever its exit: that is the self-healing the lesson shows.
      RestartPolicy: { Condition: 'any', Delay: 1e9 },
      Placement: {
        Constraints: PINNED_ROLES.includes(spec.role)
          ? [
              ...(ctx.dbNodeLabel ? [`node.labels.${ctx.dbNodeLabel}==true`] : []),
              ...(ctx.dbPins?.[spec.name] ? [pinConstraint(ctx.dbPins[spec.name])] : []),
            ]
          : [],
        // Replicas of one service spread over the nodes before any node takes a second.
        Preferences: replicas > 1 ? [{ Spread: { SpreadDescriptor: 'node.id' } }] : [],
      },
      Networks: [{ Target: net, Aliases: [...new Set([spec.name, ...spec.aliases])] }],
      LogDriver: { Name: 'json-file', Options: { 'max-size': '5m', 'max-file': '1' } },
    },
    Mode: { Replicated: { Replicas: replicas } },
    // A rolling change starts the new task before it stops the old one: no instance missing.
    // Each new task is watched for 2 s once healthy (Swarm's default, 5 s, made a rollout of
    // three tasks take 20 s; the health check has already gated it by then).
    UpdateConfig: {
      Parallelism: 1,
      Order: spec.role === 'api' ? 'start-first' : 'stop-first',
      FailureAction: 'pause',
      Delay: 1e9,
      Monitor: 2e9,
    },
    // Names resolve to the tasks themselves: a virtual IP needs IPVS in the kernel, which not every
    // one has (this project's CI machine has none), and one task a service gains nothing from one.
    EndpointSpec: { Mode: 'dnsrr' },
  } as Docker.CreateServiceOptions;
}
