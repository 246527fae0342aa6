// The 'shard-rebalance' step of a convergence (database.shards or database.sharding changed), on a
// running stack: the new shards get their tables, the API instances are told to write by the new
// layout and to read from the shards of both, and the misplaced orders move (ShardMover). The
// steps are the same on both targets; how the API is told and how the shards are reached differ
// (here: each instance's admin endpoint and the published ports; on Swarm: swarm-reshard.ts).
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';
import { LabError } from '../../contract/errors.js';
import type { RebalanceFigures, RebalanceProgress, ServiceStatus } from '../../contract/stack.js';
import { ShardMover, type ShardEndpoint } from '../database/shard-rebalance.js';
import { apiConfigOf, type PlanContext } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import { pushApiConfig } from './api-admin.js';
import type { ShardRebalance } from './reshard-plan.js';
import { NoSuchServiceError } from './errors.js';
import type { ProgressSink } from './stack-runtime.js';

/** A write the API took by the old layout just before the new one arrived commits within this. */
const SETTLE_MS = 1000;

export interface ShardReach {
  /** Every shard of both layouts, reachable from this host as the superuser. */
  endpoints: ShardEndpoint[];
  password: string;
  /** Every API instance on this config (the new layout, the shards of both), once it holds. */
  switchApi(config: ApiConfig): Promise<void>;
}

/** On one engine: each shard at its published port, each running instance told by its admin endpoint. */
export function rebalance(
  a: ShardRebalance,
  services: ServiceStatus[],
  ctx: PlanContext,
  to: Topology,
  onProgress: ProgressSink,
): Promise<RebalanceFigures> {
  const endpoints = a.hosts.map((name) => {
    const s = services.find((x) => x.name === name && x.ports.db);
    if (!s)
      throw new NoSuchServiceError(
        name,
        services.map((x) => x.name),
      );
    return { name, address: s.ports.db };
  });
  const apis = services.filter((s) => s.role === 'api' && s.state === 'running');
  return moveOrders(
    a,
    to,
    {
      endpoints,
      password: ctx.dbPassword,
      switchApi: async (config) => {
        await Promise.all(
          apis.map((s) => pushApiConfig(`http://${s.ports.api ?? s.ports.entry}`, ctx.adminToken, config)),
        );
      },
    },
    onProgress,
  );
}

/** The API's switches during a move: the new layout's, reading from the shards of both. */
export function movingConfig(a: ShardRebalance, to: Topology): ApiConfig {
  const config = apiConfigOf(to);
  config.database.shards.hosts = a.hosts;
  return config;
}

export async function moveOrders(
  a: ShardRebalance,
  to: Topology,
  reach: ShardReach,
  onProgress: ProgressSink,
): Promise<RebalanceFigures> {
  const say = (message: string, progress?: number) =>
    onProgress({ service: a.hosts[0]!, phase: 'update', message, progress, at: Date.now() });
  const mover = new ShardMover(reach.endpoints, reach.password);
  let last: RebalanceProgress | null = null;
  try {
    if (a.added.length) say(`giving ${a.added.join(', ')} the tables and the products`);
    await mover.prepare(a.from, a.to, a.added).catch((err: Error) => {
      throw new LabError(
        `re-sharding did not start: ${err.message}`,
        'EXEC_FAILED',
        'Nothing moved and the API still uses the layout it had: the stack serves as before. Apply the change again.',
      );
    });
    say(`API instances write by the new layout and read from ${a.hosts.length} shards`);
    await reach.switchApi(movingConfig(a, to));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const figures = await mover
      .move(a.from, a.to, (p) => {
        last = p;
        say(
          `moving orders: ${p.moved.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} rows (${Math.round(p.rowsPerSecond).toLocaleString('en-US')} rows/s)`,
          p.total ? Math.min(1, p.moved / p.total) : 1,
        );
      })
      .catch((err: Error) => {
        // A batch is committed on its new shard before its old one: no order is lost mid-batch.
        const done = last as RebalanceProgress | null;
        throw new LabError(
          `re-sharding stopped after ${done?.moved ?? 0} of ${done?.total ?? '?'} rows: ${err.message}`,
          'EXEC_FAILED',
          'Every order is still readable: the API writes by the new layout and reads from the shards of both. Apply the same change again to finish the move.',
        );
      });
    say(
      `moved ${figures.rowsMoved.toLocaleString('en-US')} orders in ${figures.seconds.toFixed(1)} s; ` +
        Object.entries(figures.rowsPerShard)
          .map(([n, rows]) => `${n} ${rows.toLocaleString('en-US')}`)
          .join(', '),
      1,
    );
    return figures;
  } finally {
    await mover.close();
  }
}
