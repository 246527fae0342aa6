// Connections on each database node, every second: what PostgreSQL holds against its
// max_connections (pg_stat_activity) and, when PgBouncer is in use, its pools (SHOW POOLS on its
// admin console): clients served and waiting, server connections busy and idle.
import { seriesKey, SERIES, FAMILY } from '../../contract/series.js';
import { SERVICE } from '../../contract/services.js';
import { PooledRows, type DbRows } from '../runtime/db-rows.js';

export interface NodeEndpoints {
  name: string;
  /** host:port of PostgreSQL and of its PgBouncer: as published on loopback, or on the overlay. */
  db: string;
  pooler?: string;
}

/** One row of PgBouncer's SHOW POOLS (the columns read here; numbers arrive as text). */
export interface PoolRow {
  database: string;
  user: string;
  cl_active: string | number;
  cl_waiting: string | number;
  sv_active: string | number;
  sv_idle: string | number;
  maxwait: string | number;
  maxwait_us?: string | number;
}

export interface PoolFigures {
  clients: number;
  waiting: number;
  serverActive: number;
  serverIdle: number;
  /** How long the oldest waiting client has waited. */
  maxWaitMs: number;
}

/** The pools of the stack's own database (the admin console's pseudo-database left out), summed. */
export function poolFigures(rows: PoolRow[], database = 'scalelab'): PoolFigures {
  const n = (x: string | number | undefined) => Number(x ?? 0) || 0;
  const out: PoolFigures = { clients: 0, waiting: 0, serverActive: 0, serverIdle: 0, maxWaitMs: 0 };
  for (const r of rows.filter((r) => r.database === database)) {
    out.clients += n(r.cl_active) + n(r.cl_waiting);
    out.waiting += n(r.cl_waiting);
    out.serverActive += n(r.sv_active);
    out.serverIdle += n(r.sv_idle);
    out.maxWaitMs = Math.max(out.maxWaitMs, n(r.maxwait) * 1000 + n(r.maxwait_us) / 1000);
  }
  return out;
}

/** Reads each node's connections; how a node is reached is the caller's (db-rows.ts), by default
 *  a kept pg connection per node and per PgBouncer. */
export class DbConnectionsReader {
  private readonly own: PooledRows | null;
  private readonly rows: DbRows;

  constructor(password: string, rows?: DbRows) {
    this.own = rows ? null : new PooledRows(password);
    this.rows = rows ?? this.own!.rows;
  }

  /** Series for every node; a node that does not answer leaves its series out (a gap, not a 0). */
  async read(nodes: NodeEndpoints[], pooled: boolean): Promise<Record<string, number | null>> {
    const out: Record<string, number | null> = {};
    let waiting: number | null = null;
    await Promise.all(
      nodes.map(async (node) => {
        // Both readings at once: a hung node costs one timeout, not two.
        const [held, pools] = await Promise.all([
          this.rows(
            node.db,
            'scalelab',
            `SELECT count(*) FILTER (WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())::int AS used,
                current_setting('max_connections')::int AS max,
                (SELECT timeline_id FROM pg_control_checkpoint())::int AS timeline
             FROM pg_stat_activity`,
          )
            .then(([r]) => (r ? { used: Number(r.used), max: Number(r.max), timeline: Number(r.timeline) } : null))
            .catch(() => null),
          // The admin console speaks the simple query protocol only: a query with no parameters.
          pooled && node.pooler
            ? this.rows(node.pooler, 'pgbouncer', 'SHOW POOLS')
                .then((r) => poolFigures(r as unknown as PoolRow[]))
                .catch(() => null)
            : Promise.resolve(null),
        ]);
        if (held) {
          out[FAMILY.dbConnections.key(node.name)] = held.used;
          if (node.name === SERVICE.primary) {
            out[SERIES.dbMaxConnections] = held.max;
            // +1 at each promotion: a point-in-time restore, or a failover under HA.
            out[SERIES.dbTimeline] = held.timeline;
          }
        }
        if (!pools) return;
        out[seriesKey.pooler(node.name, 'clients')] = pools.clients;
        out[seriesKey.pooler(node.name, 'waiting')] = pools.waiting;
        out[seriesKey.pooler(node.name, 'server_active')] = pools.serverActive;
        out[seriesKey.pooler(node.name, 'server_idle')] = pools.serverIdle;
        out[seriesKey.pooler(node.name, 'max_wait_ms')] = Math.round(pools.maxWaitMs);
        waiting = (waiting ?? 0) + pools.waiting;
      }),
    );
    if (pooled) out[SERIES.poolerWaiting] = waiting;
    return out;
  }

  async close(): Promise<void> {
    await this.own?.close();
  }
}
