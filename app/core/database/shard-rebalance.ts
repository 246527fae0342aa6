// Moving orders between shards when the layout changes (database.shards, database.sharding), while
// the API keeps serving: it already writes by the new layout and reads from every shard, so the
// mover only has to take each misplaced row from where it is to where the new map puts it. A batch
// is deleted on its shard inside a transaction (the rows stay visible there meanwhile), inserted
// on their new shards (idempotent: ON CONFLICT DO NOTHING), and the delete committed last: an
// order is on at least one shard at every moment, so no read misses it. Stopped midway, applying
// again finishes the move.
import type pg from 'pg';
import type { RebalanceFigures, RebalanceProgress } from '../../contract/stack.js';
import { seed, shardIdBase } from '../../../stack/api/src/seed.js';
import { bucketsMoving, ownerSql, type ShardLayout } from '../../../stack/api/src/shard-map.js';
import { readerPool } from '../runtime/reader-pool.js';

export interface ShardEndpoint {
  name: string;
  /** host:port of its PostgreSQL, published on the loopback. */
  address: string;
}

const COLUMNS = 'id, product_id, quantity, unit_price, client_id, created_at, write_ref';
/** Passes over the shards: a second one catches rows an instance wrote by the old layout just
 *  before it took the new one. */
const MAX_PASSES = 3;
const BATCH = 2000;

interface Row {
  id: string;
  product_id: number;
  quantity: number;
  unit_price: string;
  client_id: string | null;
  created_at: Date;
  /** write-behind's queue entry id (stack/api/src/flusher.ts), unique: it moves with its row. */
  write_ref: string | null;
  dest: number;
}

/** Connections to every shard of both layouts (by shard number: 0 is the primary), as the superuser. */
export class ShardMover {
  private readonly pools: pg.Pool[];
  private readonly password: string;
  private sizes: { products: number; orders: number; categories: number } | null = null;

  constructor(
    private readonly shards: ShardEndpoint[],
    password: string,
  ) {
    this.password = password;
    this.pools = shards.map((s) => {
      const [host, port] = s.address.split(':');
      return readerPool(host!, Number(port), password, { statementTimeoutMs: 30_000 });
    });
  }

  /** Before the API writes by the new layout: the shards `added` get the tables and the products
   *  (no orders: under the old layout they own none), and every shard of the new layout its ids. */
  async prepare(from: ShardLayout, to: ShardLayout, added: string[]): Promise<void> {
    const sizes = await this.seedSizes();
    for (const name of added) {
      const index = this.shards.findIndex((s) => s.name === name);
      // As the API's own role, which must own the tables it writes (as where the API seeded them).
      const [host, port] = this.shards[index]!.address.split(':');
      const asApp = readerPool(host!, Number(port), this.password, { user: 'app', statementTimeoutMs: 60_000 });
      try {
        await seed(asApp, sizes, () => undefined, { index, layout: from, orders: false });
      } finally {
        await asApp.end();
      }
    }
    await this.renumber(to.count);
  }

  /** Every order to the shard `to` puts it on, in batches, reporting after each. */
  async move(
    from: ShardLayout,
    to: ShardLayout,
    onProgress?: (p: RebalanceProgress) => void,
  ): Promise<RebalanceFigures> {
    const started = Date.now();
    const owner = ownerSql(to, (await this.seedSizes()).products);
    const misplaced = async () => {
      const counts = await Promise.all(
        this.pools.map((p, s) =>
          p
            .query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE ${owner} <> ${s}`)
            .then((r) => Number(r.rows[0]!.n)),
        ),
      );
      return counts.reduce((a, b) => a + b, 0);
    };
    const total = await misplaced();
    let moved = 0;
    const report = () =>
      onProgress?.({ moved, total, rowsPerSecond: moved / Math.max(0.001, (Date.now() - started) / 1000) });
    report();
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let movedThisPass = 0;
      for (const s of this.pools.keys())
        // Through the table by id (its primary key): each batch reads on from where the last one
        // stopped, not from the start again. New orders have higher ids, so they are reached too.
        for (let after = '0'; ;) {
          const { n, last } = await this.moveBatch(s, owner, after);
          if (n === 0) break;
          after = last;
          moved += n;
          movedThisPass += n;
          report();
        }
      if (movedThisPass === 0) break;
    }
    const left = await misplaced();
    const rows = await Promise.all(
      this.pools.map((p) =>
        p.query<{ n: string }>('SELECT count(*) AS n FROM orders').then((r) => Number(r.rows[0]!.n)),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    return {
      from,
      to,
      bucketsMoving: bucketsMoving(from, to),
      rowsMoved: moved,
      seconds,
      rowsPerSecond: moved / Math.max(0.001, seconds),
      leftMisplaced: left,
      rowsPerShard: Object.fromEntries(this.shards.map((s, i) => [s.name, rows[i]!])),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.pools.map((p) => p.end()));
  }

  /** The data set the primary was seeded with (the new shards get the same products). */
  private async seedSizes() {
    if (this.sizes) return this.sizes;
    const info = await this.pools[0]!.query<{ products: number; orders: number; categories: string }>(
      'SELECT products, orders, (SELECT count(*) FROM categories) AS categories FROM seed_info WHERE id = 1',
    );
    const row = info.rows[0];
    if (!row) throw new Error('the primary has not been seeded yet: wait until the stack is up');
    this.sizes = { products: row.products, orders: row.orders, categories: Number(row.categories) };
    return this.sizes;
  }

  /** Shard k issues ids base + k, base + k + 4...: base above every id any shard has issued, so the
   *  ids of the new layout never collide with each other or with the rows that move. */
  private async renumber(count: number): Promise<void> {
    const highest = await Promise.all(
      this.pools.map((p) =>
        p
          .query<{ n: string }>(
            `SELECT greatest((SELECT coalesce(max(id), 0) FROM orders),
                             (SELECT coalesce(last_value, 0) FROM pg_sequences WHERE sequencename = 'orders_id_seq')) AS n`,
          )
          .then((r) => Number(r.rows[0]!.n)),
      ),
    );
    // Room for the writes that take an id between this reading and the restart.
    const base = shardIdBase(Math.max(...highest) + 10_000);
    for (let k = 0; k < count; k++)
      await this.pools[k]!.query(`ALTER TABLE orders ALTER COLUMN id SET INCREMENT BY 4 RESTART WITH ${base + k}`);
  }

  /** One batch off shard `s`: deleted there (uncommitted), inserted where it belongs, then committed. */
  private async moveBatch(s: number, owner: string, after: string): Promise<{ n: number; last: string }> {
    const client = await this.pools[s]!.connect();
    try {
      await client.query('BEGIN');
      const res = await client.query<Row>(
        `DELETE FROM orders WHERE id IN (
           SELECT id FROM orders WHERE id > $1 AND ${owner} <> ${s} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}, ${owner} AS dest`,
        [after],
      );
      const byDest = new Map<number, Row[]>();
      for (const r of res.rows) {
        const list = byDest.get(r.dest);
        if (list) list.push(r);
        else byDest.set(r.dest, [r]);
      }
      for (const [dest, rows] of byDest) {
        const target = this.pools[dest];
        if (!target) throw new Error(`rows belong to shard ${dest}, which this rebalance has no connection to`);
        await target.query(
          `INSERT INTO orders (${COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::numeric[], $5::text[], $6::timestamptz[], $7::text[])
           ON CONFLICT DO NOTHING`,
          [
            rows.map((r) => r.id),
            rows.map((r) => r.product_id),
            rows.map((r) => r.quantity),
            rows.map((r) => r.unit_price),
            rows.map((r) => r.client_id),
            rows.map((r) => r.created_at),
            rows.map((r) => r.write_ref),
          ],
        );
      }
      await client.query('COMMIT');
      const last = res.rows.reduce((m, r) => (BigInt(r.id) > BigInt(m) ? r.id : m), after);
      return { n: res.rows.length, last };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
