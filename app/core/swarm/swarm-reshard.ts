// Resharding a running Swarm stack (database.shards, database.sharding): one engine's steps
// (shard-actions.ts moveOrders) by Swarm's means. The shards the new layout adds are made as
// services first, with the API untouched: an API task seeds every shard of its layout when it
// starts, so a new shard must have its tables (the mover's prepare) before any task knows it. The
// API is then told the moving layout by a rolling update of its service (its switches live in its
// environment: the new tasks start on it, the old ones drain), and the mover reaches every shard,
// wherever its task runs, through a tunnel on the overlay (overlay-tunnel.ts). The apply that
// follows makes the final specs: the shards the new layout drops removed with their volumes.
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';
import { LabError } from '../../contract/errors.js';
import type { RebalanceFigures } from '../../contract/stack.js';
import type { ShardRebalance } from '../runtime/reshard-plan.js';
import { moveOrders } from '../runtime/shard-actions.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import type { ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import type { Tunnel } from './overlay-tunnel.js';
import { recreatesDatabaseTier } from './swarm-ha.js';

export interface SwarmReshard {
  from: Topology;
  to: Topology;
  /** The specs `from` and `to` plan (with monitoring's). */
  before: ServiceSpec[];
  after: ServiceSpec[];
  /** The superuser's, for the mover. */
  password: string;
  /** The stack's services made what these specs of `t` plan (swarm-runtime's converge). */
  converge(t: Topology, specs: ServiceSpec[]): Promise<void>;
  /** TCP to these services' PostgreSQL from this host. */
  tunnel(hosts: string[]): Promise<Tunnel>;
  onProgress: ProgressSink;
}

const POSTGRES_PORT = 5432;

/** Refused, changing nothing: Patroni switched (or another etcd) in the same change as the shards.
 *  Pure. One engine makes the database tier afresh and moves the orders in one apply; here the
 *  tier would be made again under a move: one change, then the other. */
export function refuseReshardWithTier(changes: Array<{ field: string }>): void {
  if (!recreatesDatabaseTier(changes)) return;
  throw new LabError(
    'The Swarm target does not reshard in the same change that switches Patroni or etcd, so nothing changed.',
    'BAD_INPUT',
    'Apply the shards first, then the high-availability setting (or the other way round).',
  );
}

/** While the new shards are made: what runs now, and the shards the new layout adds. Pure. */
export function specsWhileAdding(before: ServiceSpec[], after: ServiceSpec[], a: ShardRebalance): ServiceSpec[] {
  return [...before, ...after.filter((s) => a.added.includes(s.name) && !before.some((b) => b.name === s.name))];
}

/** While the orders move: the new specs, the API on `config` (the new layout, reading from the
 *  shards of both) and the shards the new layout drops still running. Pure. */
export function specsWhileMoving(
  before: ServiceSpec[],
  after: ServiceSpec[],
  a: ShardRebalance,
  config: ApiConfig,
): ServiceSpec[] {
  const kept = before.filter((s) => a.hosts.includes(s.name) && !after.some((x) => x.name === s.name));
  const apis = after.map((s) =>
    s.role === 'api' ? { ...s, env: { ...s.env, SCALELAB_CONFIG: JSON.stringify(config) } } : s,
  );
  return [...apis, ...kept];
}

export async function reshardSwarm(a: ShardRebalance, r: SwarmReshard): Promise<RebalanceFigures> {
  if (a.added.length) {
    const message = 'the new shards, before the API knows them';
    r.onProgress({ service: a.added.join(', '), phase: 'create', message, at: Date.now() });
    await r.converge(r.from, specsWhileAdding(r.before, r.after, a));
  }
  const tunnel = await r.tunnel(a.hosts);
  try {
    const reach = {
      endpoints: a.hosts.map((name) => ({ name, address: tunnel.addresses[name]! })),
      password: r.password,
      // A rolling update: resolved once every new task serves and the old ones have gone.
      switchApi: (config: ApiConfig) => r.converge(r.to, specsWhileMoving(r.before, r.after, a, config)),
    };
    return await moveOrders(a, r.to, reach, r.onProgress);
  } finally {
    await tunnel.close();
  }
}

export const tunnelTargets = (hosts: string[]) => hosts.map((h) => ({ name: h, host: h, port: POSTGRES_PORT }));
