// Replication lag, read from both ends: the primary's pg_stat_replication (bytes not yet
// replayed) and each replica's last replay time. When the replica has replayed everything it
// received and the primary has nothing outstanding, the replica is "idle", not lagging.
import pg from 'pg';
import type { ReplicaLag } from '../../contract/stack.js';

export interface DbEndpoint { name: string; host: string; port: number }

async function withClient<T>(ep: DbEndpoint, password: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: ep.host, port: ep.port, user: 'scalelab', password, database: 'scalelab',
    connectionTimeoutMillis: 2000, statement_timeout: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try { return await fn(client); } finally { await client.end().catch(() => undefined); }
}

export async function readReplication(primary: DbEndpoint, replicas: DbEndpoint[], password: string): Promise<ReplicaLag[]> {
  const fromPrimary = await withClient(primary, password, async (c) => (await c.query<{ name: string; state: string; lag_bytes: string | null }>(
    `SELECT application_name AS name, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes
     FROM pg_stat_replication`)).rows).catch(() => []);
  return Promise.all(replicas.map(async (r): Promise<ReplicaLag> => {
    const p = fromPrimary.find((x) => x.name === r.name);
    const lagBytes = p?.lag_bytes == null ? null : Number(p.lag_bytes);
    try {
      const row = await withClient(r, password, async (c) => (await c.query<{ paused: boolean; age: number | null; caught_up: boolean }>(
        `SELECT pg_is_wal_replay_paused() AS paused,
                extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age,
                pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS caught_up`)).rows[0]);
      const idle = row.caught_up && (lagBytes === null || lagBytes === 0) && !row.paused;
      return { replica: r.name, lagBytes, lagSeconds: idle ? 0 : row.age, idle, replayPaused: row.paused, state: p?.state ?? null };
    } catch {
      return { replica: r.name, lagBytes, lagSeconds: null, idle: false, replayPaused: false, state: p?.state ?? null };
    }
  }));
}
