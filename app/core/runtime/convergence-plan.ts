// planConvergence(): what to do to bring a stack from what runs to what is wanted, purely. The
// Docker runtime observes the containers, asks this for the actions, and executes them in order
// (k6's split: an executor's config computes its needs, the executor only runs). No Docker here.
import type { ContainerState } from '../../contract/stack.js';
import { BASE_VERSION } from '../../contract/topology.js';
import { isReplicaName, SERVICE } from '../../contract/services.js';
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';
import { diff, type Change } from '../topology/diff.js';
import { reshardOf, type ShardRebalance } from './reshard-plan.js';
import { apiConfigOf, plan, SHARED_CORE, shardHosts, type Role, type ServiceSpec } from '../topology/plan.js';
import { prometheusFilesBetween } from '../topology/plan-monitoring.js';
import type { Topology } from '../topology/schema.js';

/** A container of the stack as observed: enough to decide, nothing Docker-specific. */
export interface ObservedContainer {
  id: string;
  service: string;
  role: Role;
  state: ContainerState;
  /** An API instance's version (its image's). */
  version?: string;
}

export type ConvergeAction =
  /** Remove containers; graceful lets an API instance drain; volumes go with unwanted services. */
  | { kind: 'remove'; ids: string[]; services: string[]; graceful: boolean; volumes: boolean; why: RemoveReason }
  /** The fixed host ports the services about to start publish must be free (a port of a service
   *  that keeps running is its own). */
  | { kind: 'check-ports'; ports: FixedPort[] }
  /** Paused containers (a `pause` fault) resumed: `up` heals a hung service as well as a dead one. */
  | { kind: 'unpause'; ids: string[]; services: string[] }
  /** Build what images are missing and start these, each as soon as what it depends on is healthy. */
  | { kind: 'start'; specs: ServiceSpec[]; alreadyRunning: string[] }
  /** Push the API's live switches to running instances (new ones get them in their environment). */
  | { kind: 'push-api-config'; services: string[]; config: ApiConfig }
  | { kind: 'update-limits'; ids: string[]; services: string[]; cpus: number; memoryMb: number }
  /** The cores containers may run on: one ("0", as on one server) or, null, every core. */
  | { kind: 'update-cpuset'; ids: string[]; services: string[]; cpuset: string | null }
  | { kind: 'redis-config'; id: string; maxMemoryMb: number; evictionPolicy: string; appendOnly: boolean }
  | { kind: 'replica-apply-delay'; ids: string[]; services: string[]; ms: number }
  | { kind: 'pooler-config'; ids: string[]; services: string[]; poolSize: number; poolMode: string }
  /** The expensive read's indexes built (or dropped) on the primary, without blocking writes. */
  | { kind: 'db-indexes'; service: string; present: boolean }
  /** WAL archiving to pgBackRest on or off; on, a full backup is taken too. */
  | { kind: 'db-backups'; service: string; present: boolean }
  /** database.shards or sharding changed (reshard-plan.ts). */
  | ShardRebalance
  /** Patroni's cluster-wide settings (PATCH /config on the leader); nodes restart where a setting needs it. */
  | { kind: 'patroni-config'; synchronous: boolean; maxConnections: number; restart: boolean }
  /** Every balancer slot back to full weight before API instances come or go: a blue-green or
   *  canary deploy cut short may have left some at 0, and an instance DNS puts there would idle. */
  | { kind: 'balancer-weights' }
  /** Prometheus's files rewritten (its targets when services come or go, its rules when a
   *  threshold moves) and reloaded, without a restart. */
  | { kind: 'monitoring-config'; id: string; files: Record<string, string> };

export type RemoveReason = 'leftover' | 'recreate' | 'unwanted';

/** A host port the user chose (not 0), and the topology field that chose it. */
export interface FixedPort {
  port: number;
  field: string;
}

const FIELD_OF: Partial<Record<string, string>> = { entry: 'ports.entry', edge: 'ports.edge', tls: 'ports.tls' };

/** The fixed host ports these services will publish. */
function fixedPorts(specs: ServiceSpec[]): FixedPort[] {
  return specs.flatMap((s) =>
    s.ports.flatMap((p) =>
      p.host !== 0 && FIELD_OF[p.purpose] ? [{ port: p.host, field: FIELD_OF[p.purpose]! }] : [],
    ),
  );
}

export interface ConvergenceInput {
  observed: ObservedContainer[];
  /** plan(to): the services wanted. */
  specs: ServiceSpec[];
  /** The topology the stack runs; null when nothing runs (a new stack, or a crashed one's leftovers). */
  from: Topology | null;
  to: Topology;
  /** `up` heals: containers a fault stopped are recreated. `apply` leaves them as the user made them. */
  heal: boolean;
}

export interface ConvergencePlan {
  changes: Change[];
  actions: ConvergeAction[];
}

const alive = (c: ObservedContainer) => c.state === 'running' || c.state === 'paused';

/** Order matters for live changes: new services start before the API is told about them, and
 *  services the API stops using are removed after it stopped using them. */
export function planConvergence({ observed, specs, from, to, heal }: ConvergenceInput): ConvergencePlan {
  const actions: ConvergeAction[] = [];
  const remove = (list: ObservedContainer[], why: RemoveReason, graceful: boolean, volumes: boolean) => {
    if (list.length)
      actions.push({
        kind: 'remove',
        ids: list.map((c) => c.id),
        services: list.map((c) => c.service),
        graceful,
        volumes,
        why,
      });
  };

  if (!from) {
    // Nothing runs: what a crashed session of this stack left is removed, then everything starts anew.
    remove(observed, 'leftover', false, false);
    actions.push({ kind: 'check-ports', ports: fixedPorts(specs) }, { kind: 'start', specs, alreadyRunning: [] });
    // After the start: the instances have seeded the tables by the time they are healthy.
    if (to.database.indexes)
      for (const service of shardHosts(to.database.shards))
        actions.push({ kind: 'db-indexes', service, present: true });
    if (to.database.backups) actions.push({ kind: 'db-backups', service: SERVICE.primary, present: true });
    return { changes: [], actions };
  }

  const changes = diff(from, to);
  const restart = new Set(changes.filter((c) => c.kind === 'restart').flatMap((c) => c.services));
  const wanted = new Set(specs.map((s) => s.name));
  // Recreated: restarted by a change, or (when healing) stopped by a fault.
  const stale = observed.filter((c) => wanted.has(c.service) && (restart.has(c.service) || (heal && !alive(c))));
  // Patroni switched on or off, or a new etcd: the nodes start from empty volumes (a cluster's data
  // directories and its leader key in etcd only make sense together); the API seeds them again.
  const freshDb = changes.some((c) => c.kind === 'restart' && /^database\.(ha|etcdMembers)$/.test(c.field));
  remove(
    stale.filter((c) => !(freshDb && c.role === 'db')),
    'recreate',
    true,
    false,
  );
  remove(
    stale.filter((c) => freshDb && c.role === 'db'),
    'recreate',
    true,
    true,
  );
  // A restarted service that is going away (the balancer handing the entry port back to api-1)
  // goes before the ports are checked: it holds the port its successor needs.
  const leaving = observed.filter((c) => !wanted.has(c.service) && restart.has(c.service));
  remove(leaving, 'unwanted', true, true);

  const kept = observed.filter((c) => !stale.includes(c) && !leaving.includes(c));
  const paused = heal ? kept.filter((c) => c.state === 'paused' && wanted.has(c.service)) : [];
  if (paused.length)
    actions.push({ kind: 'unpause', ids: paused.map((c) => c.id), services: paused.map((c) => c.service) });
  const existing = new Set(kept.map((c) => c.service));
  const toStart = specs.filter((s) => !existing.has(s.name));
  const ports = fixedPorts(toStart);
  if (ports.length) actions.push({ kind: 'check-ports', ports });
  if (toStart.length) actions.push({ kind: 'start', specs: toStart, alreadyRunning: [...existing] });

  const running = (pred: (c: ObservedContainer) => boolean) => kept.filter((c) => c.state === 'running' && pred(c));
  // A rolling deploy: each instance on another version than the topology's is drained and started
  // again on it, one at a time, so the others serve meanwhile (and an interrupted one resumes).
  for (const c of running((x) => x.role === 'api' && (x.version ?? BASE_VERSION) !== to.api.version)) {
    const spec = specs.find((s) => s.name === c.service);
    if (!spec) continue;
    remove([c], 'recreate', true, false);
    actions.push({ kind: 'start', specs: [spec], alreadyRunning: [...existing] });
  }
  const reshard = reshardOf(from, to);
  if (reshard) actions.push(reshard);
  const config = apiConfigOf(to);
  if (JSON.stringify(config) !== JSON.stringify(apiConfigOf(from))) {
    const apis = running((c) => c.role === 'api');
    if (apis.length) actions.push({ kind: 'push-api-config', services: apis.map((c) => c.service), config });
  }
  const limits = (list: ObservedContainer[], r: { cpus: number; memoryMb: number }) => {
    if (list.length)
      actions.push({
        kind: 'update-limits',
        ids: list.map((c) => c.id),
        services: list.map((c) => c.service),
        ...r,
      });
  };
  if (from.api.cpus !== to.api.cpus || from.api.memoryMb !== to.api.memoryMb) {
    limits(
      running((c) => c.role === 'api'),
      to.api,
    );
  }
  if (from.database.cpus !== to.database.cpus || from.database.memoryMb !== to.database.memoryMb) {
    limits(
      running((c) => c.role === 'db'),
      to.database,
    );
  }
  if (from.database.sharesApiCores !== to.database.sharesApiCores) {
    // Containers started by this change have it from their spec.
    const pinned = running((c) => c.role === 'api' || c.role === 'db');
    if (pinned.length)
      actions.push({
        kind: 'update-cpuset',
        ids: pinned.map((c) => c.id),
        services: pinned.map((c) => c.service),
        cpuset: to.database.sharesApiCores ? SHARED_CORE : null,
      });
  }
  const cache = running((c) => c.service === SERVICE.cache)[0];
  if (
    cache &&
    from.cache.enabled &&
    to.cache.enabled &&
    (from.cache.maxMemoryMb !== to.cache.maxMemoryMb ||
      from.cache.evictionPolicy !== to.cache.evictionPolicy ||
      from.cache.persistence !== to.cache.persistence)
  ) {
    actions.push({
      kind: 'redis-config',
      id: cache.id,
      maxMemoryMb: to.cache.maxMemoryMb,
      evictionPolicy: to.cache.evictionPolicy,
      appendOnly: to.cache.persistence === 'aof',
    });
  }
  if (from.database.replicaApplyDelayMs !== to.database.replicaApplyDelayMs) {
    // Replicas started by this change already have the delay in their environment.
    const replicas = running((c) => isReplicaName(c.service) && wanted.has(c.service));
    if (replicas.length)
      actions.push({
        kind: 'replica-apply-delay',
        ids: replicas.map((c) => c.id),
        services: replicas.map((c) => c.service),
        ms: to.database.replicaApplyDelayMs,
      });
  }

  if (from.database.poolSize !== to.database.poolSize || from.database.poolMode !== to.database.poolMode) {
    // Every node runs PgBouncer, used or not: new nodes take the pool from their environment.
    const nodes = running((c) => c.role === 'db' && wanted.has(c.service));
    if (nodes.length)
      actions.push({
        kind: 'pooler-config',
        ids: nodes.map((c) => c.id),
        services: nodes.map((c) => c.service),
        poolSize: to.database.poolSize,
        poolMode: to.database.poolMode,
      });
  }

  // On every shard; a shard added now has its tables (seeded by the rebalance) by the time this runs.
  const added = shardHosts(to.database.shards).filter((h) => !shardHosts(from.database.shards).includes(h));
  if (from.database.indexes !== to.database.indexes || (freshDb && to.database.indexes))
    for (const service of shardHosts(to.database.shards))
      actions.push({ kind: 'db-indexes', service, present: to.database.indexes });
  else if (to.database.indexes)
    for (const service of added) actions.push({ kind: 'db-indexes', service, present: true });
  const primaryRecreated = stale.some((c) => c.service === SERVICE.primary);
  if (from.database.backups !== to.database.backups || (to.database.backups && primaryRecreated))
    actions.push({ kind: 'db-backups', service: SERVICE.primary, present: to.database.backups });
  if (
    to.database.ha &&
    !freshDb &&
    (from.database.synchronous !== to.database.synchronous ||
      from.database.maxConnections !== to.database.maxConnections)
  )
    actions.push({
      kind: 'patroni-config',
      synchronous: to.database.synchronous,
      maxConnections: to.database.maxConnections,
      restart: from.database.maxConnections !== to.database.maxConnections,
    });

  const prometheus = running((c) => c.role === 'prometheus' && wanted.has(c.service))[0];
  const files = prometheus && prometheusFilesChanged(from, specs);
  if (prometheus && files) actions.push({ kind: 'monitoring-config', id: prometheus.id, files });

  remove(
    kept.filter((c) => !wanted.has(c.service)),
    'unwanted',
    true,
    true,
  );
  const apiComesOrGoes = actions.some(
    (a) =>
      (a.kind === 'start' && a.specs.some((x) => x.role === 'api')) ||
      (a.kind === 'remove' && a.ids.some((id) => observed.find((c) => c.id === id)?.role === 'api')),
  );
  const balancerStays = kept.some((c) => c.role === 'lb' && c.state === 'running' && wanted.has(c.service));
  if (apiComesOrGoes && balancerStays) actions.unshift({ kind: 'balancer-weights' });
  return { changes, actions };
}

/** Prometheus's files that `specs` want changed from what `from` gave it (null: none). Its files
 *  hold no secret, so the topology it ran is planned again with none. */
function prometheusFilesChanged(from: Topology, specs: ServiceSpec[]): Record<string, string> | null {
  return prometheusFilesBetween(plan(from, { adminToken: '', dbPassword: '' }), specs);
}
