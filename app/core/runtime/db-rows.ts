// How the engine's readers (replication lag, connections and PgBouncer's pools) reach a database
// node: rows of one query at an address and database. Here through pg, one kept connection per
// node, so a reading each second costs a query, not a login; on Swarm by psql over the stack's
// overlay (swarm/overlay-sql.ts), whose values arrive as text.
import type pg from 'pg';
import { readerPool } from './reader-pool.js';

export type DbRows = (address: string, database: string, sql: string) => Promise<Array<Record<string, unknown>>>;

export class PooledRows {
  private pools = new Map<string, pg.Pool>();

  constructor(
    private readonly password: string,
    private readonly o: { statementTimeoutMs?: number } = {},
  ) {}

  readonly rows: DbRows = async (address, database, sql) => {
    const key = `${address}/${database}`;
    let p = this.pools.get(key);
    if (!p) {
      const [host, port] = address.split(':');
      p = readerPool(host!, Number(port), this.password, { database, ...this.o });
      this.pools.set(key, p);
    }
    return (await p.query(sql)).rows as Array<Record<string, unknown>>;
  };

  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((p) => p.end()));
    this.pools.clear();
  }
}

/** A json column as pg parses it, or as psql prints it. */
export const jsonValue = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
