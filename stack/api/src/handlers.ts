// The demo API's endpoints. Each handler records, on the request context, whether the cache
// answered and which database node did, so every response can say so in its headers.
import { randomUUID } from 'node:crypto';
import { TOP_PRODUCTS_SQL } from './queries.js';
import { mergeTopProducts, SCATTER_NODE, type TopProductRow } from './scatter.js';
import { ownerNode } from './shard-map.js';
import { API_HEADERS, type ApiConfig } from './admin-config.js';
import { cart, SESSION_COOKIE, SESSION_TTL_SECONDS, type CartItem, type SessionStore } from './sessions.js';
import type { Cache, CacheResult } from './cache.js';
import { cachedReader } from './cached-read.js';
import { productPage } from './product-page.js';
import type { Database } from './db.js';
import type { WriteQueue } from './write-queue.js';
import type { Metrics } from './metrics.js';
import type { Timing } from './timing.js';

export interface Ctx {
  timing: Timing;
  cache: CacheResult;
  dbNode: string;
  stale: boolean;
  /** Epoch ms of this client's last write, from its `lw` cookie (read-your-writes). */
  lastWrite?: number;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the handlers need of the database and the cache (db.ts and cache.ts; fakes in unit tests). */
export type DatabasePort = Pick<Database, 'read' | 'query' | 'pickReplica'>;
export type CachePort = Pick<Cache, 'get' | 'set' | 'del' | 'getWithTtl' | 'peek' | 'tryLock' | 'unlock'> & {
  queue: Pick<WriteQueue, 'enqueue'>;
};

export interface Deps {
  db: DatabasePort;
  cache: CachePort;
  metrics: Metrics;
  config: () => ApiConfig;
  /** Products seeded (ids 1..products): range sharding splits this id space. */
  products: number;
  /** The session store the switches name now (sessions: memory or redis). */
  sessions: () => SessionStore;
  /** Asks the edge to forget a path (edge-purge.ts): true when it had it. */
  purgeEdge: (path: string) => Promise<boolean>;
}

export function createHandlers({ db, cache, metrics, config, products, sessions, purgeEdge }: Deps) {
  const cachedRead = cachedReader(cache, () => config().cache);
  const shards = () => config().database.shards;
  const sharded = () => shards().hosts.length > 1;
  /** The node name a shard's queries go to (db.ts): shard 0 is the primary's pool. */
  const shardNode = (k: number) => (k === 0 ? 'primary' : shards().hosts[k]!);

  /** The same query on every shard at once; the request waits for the slowest. During a rebalance
   *  the hosts are those of both layouts, so a row is found wherever it is at that moment. */
  async function scatter<R>(ctx: Ctx, sql: string, params: unknown[]): Promise<R[][]> {
    const hosts = shards().hosts;
    const started = performance.now();
    const results = await Promise.all(hosts.map((_, k) => db.query<R>(shardNode(k), sql, params)));
    ctx.timing.db += performance.now() - started;
    ctx.timing.shards = hosts.length;
    ctx.dbNode = SCATTER_NODE;
    return results.map((r) => r.rows);
  }

  /** The node a read should use: the primary unless replica routing is on, a replica is healthy,
   *  and the client has not written within the read-your-writes window. */
  function readNode(ctx: Ctx): string {
    const c = config().database;
    if (!c.readFromReplicas) return 'primary';
    if (c.readYourWrites && ctx.lastWrite !== undefined && Date.now() - ctx.lastWrite < c.readYourWritesWindowMs)
      return 'primary';
    return db.pickReplica() ?? 'primary';
  }

  async function dbRead<R>(ctx: Ctx, sql: string, params: unknown[]): Promise<R[]> {
    const res = await db.read<R>(readNode(ctx), sql, params);
    ctx.timing.db += res.ms;
    ctx.dbNode = res.node;
    return res.rows;
  }

  /** The shard that owns a product under the layout in force (the primary when not sharded). */
  const ownerNodeOf = (productId: number) => ownerNode(productId, shards(), products);

  /** A read about one product. Sharded, every shard has the products, and the one that owns the
   *  product's orders serves it too: all of a product's traffic lands on one shard, which is what
   *  makes a range of popular products a hot shard. */
  async function keyedRead<R>(ctx: Ctx, productId: number, sql: string, params: unknown[]): Promise<R[]> {
    if (!sharded()) return dbRead<R>(ctx, sql, params);
    const res = await db.query<R>(ownerNodeOf(productId), sql, params);
    ctx.timing.db += res.ms;
    ctx.dbNode = res.node;
    return res.rows;
  }

  /** write-behind: acknowledged once Redis has it (202); the flusher (flusher.ts) writes it later.
   *  Null when Redis does not answer: the caller writes it directly, under the same `ref` (its
   *  row's write_ref), since Redis may have taken it all the same (a reply lost as it restarted):
   *  the flush of it then finds the row there and adds none. */
  async function queueOrder(ctx: Ctx, ref: string, productId: number, quantity: number, clientId: string | undefined) {
    // Nothing checks the product before the flush: an order for none would be acknowledged and dropped.
    if (productId > products) throw new HttpError(404, `no product ${productId}`);
    const started = performance.now();
    const at = Date.now();
    const id = await cache.queue
      .enqueue({ ref, productId, quantity, clientId: clientId ?? null, at })
      .catch(() => null);
    ctx.timing.cache += performance.now() - started;
    if (id === null) return null;
    metrics.writeBehind.inc({ state: 'queued' });
    ctx.cache = 'MISS';
    ctx.dbNode = 'queued';
    const body = {
      ref,
      queued: true,
      product_id: productId,
      quantity,
      client_id: clientId ?? null,
      created_at: new Date(at),
    };
    return { status: 202, body } satisfies Reply;
  }

  return {
    async product(ctx: Ctx, id: number): Promise<Reply> {
      const sql = 'SELECT id, category_id, name, description, price FROM products WHERE id = $1';
      const row = await cachedRead(ctx, `product:${id}`, async (into) => (await keyedRead(into, id, sql, [id]))[0]);
      if (!row) throw new HttpError(404, `no product ${id}`);
      return { status: 200, body: row };
    },

    /** A product page (product-page.ts): the row and its spec sheet, about 2 KB, cached whole. */
    async productPage(ctx: Ctx, id: number): Promise<Reply> {
      const sql = 'SELECT id, category_id, name, description, price FROM products WHERE id = $1';
      const page = await cachedRead(ctx, `page:${id}`, async (into) => {
        const row = (await keyedRead<object>(into, id, sql, [id]))[0];
        return row && productPage(row, id);
      });
      if (!page) throw new HttpError(404, `no product ${id}`);
      return { status: 200, body: page };
    },

    /** A price change, on every shard's copy of the product; the cache forgets it, and (with
     *  edgeCache.purgeOnWrite) so does the edge. Until then the edge may serve the old price. */
    async updatePrice(ctx: Ctx, id: number, price: number): Promise<Reply> {
      const started = performance.now();
      const results = await Promise.all(
        shards().hosts.map((_, k) =>
          db.query<{ id: number; category_id: number; name: string; description: string; price: string }>(
            shardNode(k),
            'UPDATE products SET price = $2 WHERE id = $1 RETURNING id, category_id, name, description, price',
            [id, price],
          ),
        ),
      );
      ctx.timing.db += performance.now() - started;
      ctx.dbNode = shards().hosts.length > 1 ? SCATTER_NODE : 'primary';
      const row = results[0]!.rows[0];
      if (!row) throw new HttpError(404, `no product ${id}`);
      const c = config().cache;
      // cache.invalidation: the entry goes, or takes the new row (what a product read caches), or stays.
      // Both entries that show the price: the product's row and its page.
      if (c.enabled && c.invalidation === 'invalidate')
        ctx.timing.cache += await cache.del(`product:${id}`, `page:${id}`);
      if (c.enabled && c.invalidation === 'update') {
        ctx.timing.cache += await cache.set(`product:${id}`, JSON.stringify(row), c.ttlSeconds);
        ctx.timing.cache += await cache.set(`page:${id}`, JSON.stringify(productPage(row, id)), c.ttlSeconds);
      }
      const purged = config().edge.purgeOnWrite ? await purgeEdge(`/products/${id}`) : false;
      return { status: 200, body: { id, price: row.price, purged } };
    },

    async listProducts(ctx: Ctx, page: number, size: number): Promise<Reply> {
      // Sharded, a page is read on the shard that owns its first product.
      const rows = await cachedRead(ctx, `list:${page}:${size}`, (into) =>
        keyedRead(
          into,
          1 + (page - 1) * size,
          'SELECT id, category_id, name, price FROM products ORDER BY id LIMIT $1 OFFSET $2',
          [size, (page - 1) * size],
        ),
      );
      return { status: 200, body: { page, size, items: rows ?? [] } };
    },

    /** The expensive read: revenue per product of one category, over the whole orders table. */
    async topProducts(ctx: Ctx, category: number): Promise<Reply> {
      // Sharded by product, a product's orders live on one shard: each ranks its own, the API
      // merges (scatter-gather). Without the LIMIT: during a move a product spans two shards.
      const rows = await cachedRead(ctx, `top:${category}`, async (into) =>
        sharded()
          ? mergeTopProducts(await scatter<TopProductRow>(into, TOP_PRODUCTS_SQL.replace(/LIMIT \d+/, ''), [category]))
          : dbRead(into, TOP_PRODUCTS_SQL, [category]),
      );
      return { status: 200, body: { category, top: rows ?? [] } };
    },

    /** A write: always on the primary. Cache-aside invalidates what it changed; write-through
     *  also stores the new order so that reading it back needs no database at all. */
    async createOrder(ctx: Ctx, productId: number, quantity: number, clientId: string | undefined): Promise<Reply> {
      const c = config().cache;
      // The order's own key (time first: the write-behind tests find a run's orders by it).
      const ref = c.enabled && c.strategy === 'write-behind' ? `${Date.now()}-${randomUUID()}` : null;
      if (ref) {
        const queued = await queueOrder(ctx, ref, productId, quantity, clientId);
        if (queued) return queued;
      }
      // Sharded: the shard that owns the product (every shard has the products table).
      const node = ownerNodeOf(productId);
      const res = await db.query<{ id: string; category_id: number; created_at: Date }>(
        node,
        `
        INSERT INTO orders (product_id, quantity, unit_price, client_id, write_ref)
        SELECT id, $2, price, $3, $4 FROM products WHERE id = $1
        ON CONFLICT (write_ref) WHERE write_ref IS NOT NULL DO NOTHING
        RETURNING id, (SELECT category_id FROM products WHERE id = $1), created_at`,
        [productId, quantity, clientId ?? null, ref],
      );
      ctx.timing.db += res.ms;
      ctx.dbNode = node;
      const row = res.rows[0];
      if (!row) throw new HttpError(404, `no product ${productId}`);
      const order = {
        id: Number(row.id),
        product_id: productId,
        quantity,
        client_id: clientId ?? null,
        created_at: row.created_at,
      };
      if (c.enabled && c.strategy === 'write-behind') metrics.writeBehind.inc({ state: 'direct' });
      if (c.enabled) {
        ctx.timing.cache += await cache.del(`top:${row.category_id}`);
        if (c.strategy === 'write-through')
          ctx.timing.cache += await cache.set(`order:${order.id}`, JSON.stringify(order), c.ttlSeconds);
        ctx.cache = 'MISS';
      } else ctx.cache = 'BYPASS';
      const now = Date.now();
      ctx.lastWrite = now;
      return { status: 201, body: order, headers: { 'set-cookie': `lw=${now}; Path=/; Max-Age=600; SameSite=Lax` } };
    },

    /** Read one's own write. A replica that has not replayed the order yet answers nothing: if
     *  the primary has it, that is a stale read, counted and flagged, and the client sees a 404. */
    async order(ctx: Ctx, id: number): Promise<Reply> {
      const sql = 'SELECT id::int, product_id, quantity, client_id, created_at FROM orders WHERE id = $1';
      // Sharded, an id does not say which shard has the order (rows move): ask them all.
      const load = async (into: Ctx) =>
        sharded() ? (await scatter<object>(into, sql, [id])).flat()[0] : (await dbRead<object>(into, sql, [id]))[0];
      const row = await cachedRead(ctx, `order:${id}`, load);
      if (row) return { status: 200, body: row };
      if (ctx.dbNode !== 'primary') {
        const onPrimary = await db.query('primary', sql, [id]);
        ctx.timing.db += onPrimary.ms;
        if (onPrimary.rows.length > 0) {
          ctx.stale = true;
          metrics.staleReads.inc();
          throw new HttpError(404, `order ${id} not found on ${ctx.dbNode} (stale read: the primary has it)`);
        }
      }
      throw new HttpError(404, `no order ${id}`);
    },

    /** The request's cart, an item added when given: x-session says whether this instance's
     *  store knew the session (a lost one is counted: the stateless-design lesson). */
    async cart(cookie: string | undefined, add?: CartItem): Promise<Reply> {
      const r = await cart(sessions(), cookie, add);
      metrics.sessions.inc({ state: r.state });
      const headers: Record<string, string> = { [API_HEADERS.session]: r.state };
      if (r.state !== 'found')
        headers['set-cookie'] =
          `${SESSION_COOKIE}=${r.sid}; Path=/; Max-Age=${SESSION_TTL_SECONDS}; HttpOnly; SameSite=Lax`;
      return { status: add ? 201 : 200, body: { items: r.items, store: config().sessions }, headers };
    },
  };
}
