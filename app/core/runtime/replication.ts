// Replication lag, read from both ends: the primary's pg_stat_replication (bytes not yet
// replayed, and replay_lag: PostgreSQL's own measure of how long WAL waits to be replayed) and
// each replica's last replay. When the replica has replayed everything it received and the
// primary has nothing outstanding, the replica is "idle": lag 0.
//
// now() - pg_last_xact_replay_timestamp() is not lag: after a minute idle it is a minute old, and
// the first write after it would read as a minute of lag. So lag is PostgreSQL's replay_lag while
// replay moves, and while it does not (paused) the time since the replica fell behind, as this
// reader saw it, never more than the age of the last replayed transaction.
import type { ReplicaLag } from '../../contract/stack.js';
import { jsonValue, PooledRows, type DbRows } from './db-rows.js';

export interface DbEndpoint {
  name: string;
  host: string;
  port: number;
}

/** The rows of `select` as one json array (the same on either way of reaching a node). */
const asJson = (select: string) => `SELECT coalesce(json_agg(r), '[]'::json) AS rows FROM (${select}) r`;

const FROM_PRIMARY = asJson(`SELECT application_name AS name, state,
    pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes,
    extract(epoch FROM replay_lag)::float8 AS replay_lag
  FROM pg_stat_replication`);
const ON_REPLICA = asJson(`SELECT pg_is_wal_replay_paused() AS paused,
    extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age,
    pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS caught_up`);

interface PrimaryRow {
  name: string;
  state: string;
  lag_bytes: number | null;
  replay_lag: number | null;
}
interface ReplicaRow {
  paused: boolean;
  age: number | null;
  caught_up: boolean;
}

/** Reads lag each second; how a node is reached is the caller's (db-rows.ts), by default a kept
 *  pg connection to its published port. */
export class ReplicationReader {
  /** replica -> when this reader first saw it behind (cleared when it catches up). */
  private behindSince = new Map<string, number>();
  private readonly own: PooledRows | null;
  private readonly rows: DbRows;

  constructor(password: string, rows?: DbRows) {
    this.own = rows ? null : new PooledRows(password, { statementTimeoutMs: 2000 });
    this.rows = rows ?? this.own!.rows;
  }

  private async query(ep: DbEndpoint, sql: string): Promise<unknown> {
    return jsonValue((await this.rows(`${ep.host}:${ep.port}`, 'scalelab', sql))[0]?.rows);
  }

  async read(primary: DbEndpoint, replicas: DbEndpoint[]): Promise<ReplicaLag[]> {
    const fromPrimary = await this.query(primary, FROM_PRIMARY).then(
      (rows) => (rows ?? []) as PrimaryRow[],
      () => [],
    );
    return Promise.all(
      replicas.map(async (r): Promise<ReplicaLag> => {
        const p = fromPrimary.find((x) => x.name === r.name);
        const lagBytes = p?.lag_bytes == null ? null : Number(p.lag_bytes);
        try {
          const row = ((await this.query(r, ON_REPLICA)) as ReplicaRow[])[0];
          const idle = row.caught_up && (lagBytes === null || lagBytes === 0) && !row.paused;
          return {
            replica: r.name,
            lagBytes,
            lagSeconds: this.lagOf(r.name, {
              idle,
              paused: row.paused,
              age: row.age,
              replayLag: p?.replay_lag ?? null,
            }),
            idle,
            replayPaused: row.paused,
            state: p?.state ?? null,
          };
        } catch {
          return {
            replica: r.name,
            lagBytes,
            lagSeconds: null,
            idle: false,
            replayPaused: false,
            state: p?.state ?? null,
          };
        }
      }),
    );
  }

  private lagOf(replica: string, o: { idle: boolean; paused: boolean; age: number | null; replayLag: number | null }) {
    const now = Date.now();
    if (o.idle) {
      this.behindSince.delete(replica);
      return 0;
    }
    const since = this.behindSince.get(replica) ?? now;
    this.behindSince.set(replica, since);
    return lagSeconds({ ...o, behindSeconds: (now - since) / 1000 });
  }

  async close(): Promise<void> {
    await this.own?.close();
  }
}

/** One reading, connections closed after. */
export async function readReplication(
  primary: DbEndpoint,
  replicas: DbEndpoint[],
  password: string,
  rows?: DbRows,
): Promise<ReplicaLag[]> {
  const reader = new ReplicationReader(password, rows);
  try {
    return await reader.read(primary, replicas);
  } finally {
    await reader.close();
  }
}

/** A replica's lag from what was read (pure): see the header. `behindSeconds` is how long the
 *  reader has seen it behind (0 on a first reading). */
export function lagSeconds(o: {
  idle: boolean;
  paused: boolean;
  age: number | null;
  replayLag: number | null;
  behindSeconds: number;
}): number | null {
  if (o.idle) return 0;
  const sinceBehind = o.age === null ? o.behindSeconds : Math.min(o.age, o.behindSeconds);
  if (o.paused) return Math.max(sinceBehind, o.replayLag ?? 0);
  return o.replayLag ?? sinceBehind;
}
