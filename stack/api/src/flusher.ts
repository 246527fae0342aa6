// cache.strategy write-behind's other half: every worker of every instance drains the write queue
// (write-queue.ts) into PostgreSQL, a batch at a time, every flushIntervalMs. One INSERT per batch
// and shard; write_ref (the entry's id, unique) makes a batch flushed twice (a flusher that died
// between its commit and its XACK) land once. It runs whatever the strategy: writes queued before a
// switch away from write-behind still reach the database.
import type { QueuedOrder, WriteQueue } from './write-queue.js';
import type { Metrics } from './metrics.js';
import type { ApiConfig } from './admin-config.js';
import type { DatabasePort, CachePort } from './handlers.js';
import { ownerNode } from './shard-map.js';

/** An entry another consumer took and has not flushed for this long is taken over. */
export const STALE_MS = 5000;

export const INSERT_QUEUED_SQL = `
  INSERT INTO orders (product_id, quantity, unit_price, client_id, created_at, write_ref)
  SELECT v.p, v.q, p.price, v.c, to_timestamp(v.t / 1000.0), v.r
  FROM unnest($1::int[], $2::int[], $3::text[], $4::float8[], $5::text[]) AS v(p, q, c, t, r)
  JOIN products p ON p.id = v.p
  ON CONFLICT (write_ref) WHERE write_ref IS NOT NULL DO NOTHING
  RETURNING (SELECT category_id FROM products WHERE id = product_id) AS category_id`;

export interface FlusherDeps {
  queue: Pick<WriteQueue, 'take' | 'done'>;
  /** The batch's rows on one node; returns the categories of the rows it inserted (one per row). */
  insert(node: string, orders: QueuedOrder[]): Promise<number[]>;
  /** The node an order belongs on (its product's shard; the primary when not sharded). */
  nodeOf(productId: number): string;
  /** What the cache forgets once the rows are in: the categories' rankings changed. */
  forget(categories: number[]): Promise<void>;
  metrics: Metrics;
  settings(): { enabled: boolean; flushIntervalMs: number; batchSize: number };
  consumer: string;
}

export class Flusher {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly d: FlusherDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick().finally(() => this.schedule()), this.d.settings().flushIntervalMs);
    this.timer.unref();
  }

  /** Drains what is queued now, a batch after another (bounded: what was there when it began). */
  async tick(): Promise<number> {
    const s = this.d.settings();
    if (!s.enabled) return 0;
    let flushed = 0;
    for (let round = 0; round < 50; round++) {
      const batch = await this.d.queue.take(this.d.consumer, s.batchSize, STALE_MS).catch(() => []);
      if (!batch.length) break;
      flushed += await this.flush(batch).catch(() => 0);
      if (batch.length < s.batchSize) break;
    }
    return flushed;
  }

  /** One batch: its rows inserted per node, then taken off the queue. A failure leaves the batch
   *  pending in the group, to be taken again after STALE_MS. */
  private async flush(batch: QueuedOrder[]): Promise<number> {
    const byNode = new Map<string, QueuedOrder[]>();
    for (const o of batch) {
      const node = this.d.nodeOf(o.productId);
      byNode.set(node, [...(byNode.get(node) ?? []), o]);
    }
    const categories = (await Promise.all([...byNode].map(([node, orders]) => this.d.insert(node, orders)))).flat();
    await this.d.queue.done(batch.map((o) => o.id));
    // Counted after the XDEL: a reading never sees a write both persisted and still queued.
    this.d.metrics.writeBehind.inc({ state: 'persisted' }, categories.length);
    this.d.metrics.writeBehindFlushes.inc();
    await this.d.forget([...new Set(categories)]).catch(() => undefined);
    return categories.length;
  }
}

/** The flusher of one worker, on the API's own database and cache. */
export function orderFlusher(o: {
  db: Pick<DatabasePort, 'query'>;
  cache: Pick<CachePort, 'del'> & { queue: Pick<WriteQueue, 'take' | 'done'> };
  metrics: Metrics;
  switches: () => ApiConfig;
  products: number;
  consumer: string;
}): Flusher {
  return new Flusher({
    queue: o.cache.queue,
    consumer: o.consumer,
    metrics: o.metrics,
    settings: () => ({ enabled: o.switches().cache.enabled, ...o.switches().cache.writeBehind }),
    nodeOf: (productId) => ownerNode(productId, o.switches().database.shards, o.products),
    insert: async (node, orders) => {
      const res = await o.db.query<{ category_id: number }>(node, INSERT_QUEUED_SQL, [
        orders.map((x) => x.productId),
        orders.map((x) => x.quantity),
        orders.map((x) => x.clientId),
        orders.map((x) => x.at),
        orders.map((x) => x.ref),
      ]);
      return res.rows.map((r) => r.category_id);
    },
    forget: async (categories) => {
      if (categories.length) await o.cache.del(...categories.map((c) => `top:${c}`));
    },
  });
}
