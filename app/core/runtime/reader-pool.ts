// The engine's reading connection to one database endpoint (PostgreSQL or PgBouncer's admin
// console): one connection kept open, as the superuser, so reading each second costs a query,
// not a login. Shared by the replication and connection readers.
import pg from 'pg';

export function readerPool(
  host: string,
  port: number,
  password: string,
  o: { database?: string; statementTimeoutMs?: number; user?: string } = {},
): pg.Pool {
  const p = new pg.Pool({
    host,
    port,
    user: o.user ?? 'scalelab',
    password,
    database: o.database ?? 'scalelab',
    max: 1,
    idleTimeoutMillis: 15_000,
    connectionTimeoutMillis: 2000,
    ...(o.statementTimeoutMs ? { statement_timeout: o.statementTimeoutMs } : {}),
    // Client-side too: a paused (hung) node answers nothing, not even the server's own timeout, and
    // a reading that waits holds back the second's timeline point.
    query_timeout: o.statementTimeoutMs ? o.statementTimeoutMs + 2000 : 2500,
  });
  p.on('error', () => undefined);
  return p;
}
