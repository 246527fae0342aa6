// Database access: one pool for the primary and one per read replica. Reads pick a
// replica round robin among healthy ones (a replica that errors sits out for a while);
// writes always use the primary. Every query is counted and timed per node.
import pg from 'pg';
import type { Metrics } from './metrics.js';

export interface QueryResult<R> {
  rows: R[];
  node: string;
  ms: number;
}

const REPLICA_PENALTY_MS = 3000;
/** Connections opened ahead of traffic: a SCRAM login costs milliseconds of CPU, and a burst of
 *  logins under load is a latency spike that is about the lab, not about the stack. */
const WARM_CONNECTIONS = 4;

function warm(pool: pg.Pool): void {
  for (let i = 0; i < WARM_CONNECTIONS; i++) pool.query('SELECT 1').catch(() => undefined);
}

export class Database {
  private primary: pg.Pool;
  private replicas = new Map<string, { pool: pg.Pool; downUntil: number }>();
  private next = 0;

  constructor(
    private readonly conn: { host: string; user: string; password: string; database: string },
    private readonly metrics: Metrics,
  ) {
    this.primary = this.pool(conn.host);
  }

  private pool(host: string): pg.Pool {
    const p = new pg.Pool({
      ...this.conn,
      host,
      max: 10,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 10_000,
      statement_timeout: 10_000,
    });
    p.on('error', () => {
      /* idle client lost (node restarted): the pool replaces it */
    });
    return p;
  }

  setReplicas(hosts: string[]): void {
    for (const [host, r] of this.replicas)
      if (!hosts.includes(host)) {
        this.replicas.delete(host);
        void r.pool.end();
      }
    for (const host of hosts) {
      if (this.replicas.has(host)) continue;
      const pool = this.pool(host);
      warm(pool);
      this.replicas.set(host, { pool, downUntil: 0 });
    }
  }

  /** Name of the replica the next read should use, or undefined when none is healthy. */
  pickReplica(): string | undefined {
    const healthy = [...this.replicas.entries()].filter(([, r]) => r.downUntil <= Date.now());
    if (healthy.length === 0) return undefined;
    return healthy[this.next++ % healthy.length][0];
  }

  async query<R>(node: string, sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const replica = node === 'primary' ? undefined : this.replicas.get(node);
    const pool = replica ? replica.pool : this.primary;
    const started = performance.now();
    try {
      const res = await pool.query(sql, params);
      return { rows: res.rows as R[], node, ms: performance.now() - started };
    } catch (err) {
      if (replica) replica.downUntil = Date.now() + REPLICA_PENALTY_MS;
      this.metrics.dbErrors.inc({ node });
      throw err;
    } finally {
      const ms = performance.now() - started;
      this.metrics.dbQueries.inc({ node });
      this.metrics.dbDuration.observe({ node }, ms / 1000);
    }
  }

  /** Read on the given replica; on a replica error, read on the primary instead. */
  async read<R>(node: string, sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    if (node === 'primary') return this.query<R>('primary', sql, params);
    try {
      return await this.query<R>(node, sql, params);
    } catch {
      return this.query<R>('primary', sql, params);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.end(), ...[...this.replicas.values()].map((r) => r.pool.end())]);
  }

  get primaryPool(): pg.Pool {
    return this.primary;
  }

  warmPrimary(): void {
    warm(this.primary);
  }
}
