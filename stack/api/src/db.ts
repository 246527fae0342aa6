// Database access: one pool for the primary, one per read replica and one per further shard.
// Reads pick a replica round robin among healthy ones (a replica that errors sits out for a
// while); writes use the primary (under HA, the router's write port: whichever node leads), or
// under sharding the shard the handler names. Every query is counted and timed per node. Pooled,
// every connection goes to the PgBouncer beside each node (port 6432) instead of PostgreSQL itself.
import pg from 'pg';
import type { Metrics } from './metrics.js';

export interface QueryResult<R> {
  rows: R[];
  node: string;
  ms: number;
}

const REPLICA_PENALTY_MS = 3000;
/** Each instance keeps a pool of this many connections per node open, the way application pools
 *  usually run (HikariCP keeps its 10 open by default): 8 instances hold 80 on the primary, which
 *  is what a pooler is for. Opened ahead of traffic, since a SCRAM login costs milliseconds of
 *  CPU and a burst of logins under load is a latency spike about the lab, not the stack. */
export const POOL_SIZE = 10;
const PG_PORT = 5432;
/** PgBouncer listens 1000 above PostgreSQL: 6432 beside each node, 6433 on the HA router's read port. */
const POOLER_OFFSET = 1000;

/** "host" or "host:port" (the HA router's read port is 5433), and the port PgBouncer answers on. */
export function endpointOf(address: string, pooled: boolean): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const host = i > 0 ? address.slice(0, i) : address;
  const port = i > 0 ? Number(address.slice(i + 1)) : PG_PORT;
  return { host, port: pooled ? port + POOLER_OFFSET : port };
}

/** What warming needs of a pool (pg.Pool has it). */
export interface WarmablePool {
  readonly totalCount: number;
  readonly ending: boolean;
  query(sql: string): Promise<unknown>;
}

/** Opens the pool's connections, and opens again those whose login failed, every `retryMs` until
 *  `giveUpMs` has passed: right after a switch to PgBouncer its server logins are refused while
 *  the direct connections it replaces still hold PostgreSQL's slots, and a pool left short would
 *  open the rest under the next burst, where logins that queue for CPU time out. */
export async function warm(pool: WarmablePool, retryMs = 500, giveUpMs = 30_000): Promise<void> {
  const giveUpAt = Date.now() + giveUpMs;
  while (!pool.ending) {
    // As many queries as the pool holds: idle connections answer some, new logins the rest.
    await Promise.allSettled(Array.from({ length: POOL_SIZE }, () => pool.query('SELECT 1')));
    if (pool.totalCount >= POOL_SIZE || Date.now() >= giveUpAt) return;
    await new Promise((r) => setTimeout(r, retryMs).unref());
  }
}

export class Database {
  private primary: pg.Pool;
  private replicas = new Map<string, { pool: pg.Pool; downUntil: number }>();
  /** Shards other than the primary (database.shards), by host. */
  private shards = new Map<string, pg.Pool>();
  private next = 0;
  private pooled = false;
  private warming: Array<Promise<unknown>> = [];

  constructor(
    private readonly conn: { host: string; user: string; password: string; database: string },
    private readonly metrics: Metrics,
  ) {
    this.primary = this.pool(conn.host);
  }

  private pool(address: string, direct = false): pg.Pool {
    const p = new pg.Pool({
      ...this.conn,
      ...endpointOf(address, this.pooled && !direct),
      max: POOL_SIZE,
      min: POOL_SIZE,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 10_000,
      // PgBouncer ignores login parameters (its own query_timeout is the same 10 s).
      ...(this.pooled && !direct ? {} : { statement_timeout: 10_000 }),
    });
    p.on('error', () => {
      /* idle client lost (node restarted): the pool replaces it */
    });
    return p;
  }

  /** Through PgBouncer, logins refused are tried again: its own logins fail for a moment after a
   *  switch. Straight to PostgreSQL they are not: a full server is the lesson, not a hiccup. */
  private warm(pool: pg.Pool): Promise<void> {
    return warm(pool, 500, this.pooled ? 30_000 : 0);
  }

  /** Through PgBouncer or straight to PostgreSQL: a change replaces every pool (queries in
   *  flight finish on the old ones). */
  setPooled(pooled: boolean): void {
    if (pooled === this.pooled) return;
    this.pooled = pooled;
    // The old pools close first (idle connections at once, busy ones as their query ends), so
    // PostgreSQL's slots free up for PgBouncer's own logins.
    for (const p of this.pools()) void p.end().catch(() => undefined);
    this.primary = this.pool(this.conn.host);
    this.warming.push(this.warm(this.primary));
    for (const [host, r] of this.replicas) {
      r.pool = this.pool(host);
      this.warming.push(this.warm(r.pool));
    }
    for (const host of this.shards.keys()) {
      const pool = this.pool(host);
      this.shards.set(host, pool);
      this.warming.push(this.warm(pool));
    }
  }

  private pools(): pg.Pool[] {
    return [this.primary, ...[...this.replicas.values()].map((r) => r.pool), ...this.shards.values()];
  }

  /** The shards' hosts (the first is the primary, which is always open): pools opened for new ones,
   *  closed for those gone. */
  setShards(hosts: string[]): void {
    const others = hosts.slice(1);
    for (const [host, pool] of this.shards)
      if (!others.includes(host)) {
        this.shards.delete(host);
        void pool.end().catch(() => undefined);
      }
    for (const host of others) {
      if (this.shards.has(host)) continue;
      const pool = this.pool(host);
      this.warming.push(this.warm(pool));
      this.shards.set(host, pool);
    }
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
      this.warming.push(this.warm(pool));
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
    const pool = node === 'primary' ? this.primary : (replica?.pool ?? this.shards.get(node));
    // A write routed to a shard this instance has no pool for must fail, not land on the primary.
    if (!pool) throw new Error(`no connection to ${node} on this instance`);
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
    await Promise.allSettled(this.pools().map((p) => p.end()));
  }

  /** A pool straight to a node's PostgreSQL (the primary by default) for the length of `fn`, pooler
   *  or not: the seed holds a session advisory lock, which PgBouncer's transaction mode cannot keep. */
  async withDirect<T>(fn: (pool: pg.Pool) => Promise<T>, host = this.conn.host): Promise<T> {
    const pool = this.pool(host, true);
    try {
      return await fn(pool);
    } finally {
      await pool.end().catch(() => undefined);
    }
  }

  warmPrimary(): void {
    this.warming.push(this.warm(this.primary));
  }

  /** Resolves once the connections opened so far are open (or failed), or after `timeoutMs`: an
   *  instance that listens before its pool is open makes its first requests wait for logins. */
  async warmed(timeoutMs: number): Promise<void> {
    const pending = this.warming;
    this.warming = [];
    await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }
}
