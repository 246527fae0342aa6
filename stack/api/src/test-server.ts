// Test helpers for the demo API: an in-memory database and cache in place of PostgreSQL and Redis,
// and a server started on 127.0.0.1 with them (create-server.test.ts, sharding.test.ts; the Docker
// tests run the API against the real ones).
import type { ApiConfig } from './admin-config.js';
import type { CacheResult } from './cache.js';
import { createServer, type ApiServer, type ServerDeps } from './create-server.js';
import type { QueryResult } from './db.js';
import { createMetrics } from './metrics.js';
import type { ServerConfig } from './server-config.js';
import type { QueuedOrder } from './write-queue.js';

export const TOKEN = 'a'.repeat(32);
/** Products 1..PRODUCTS exist, on every node. */
export const PRODUCTS = 1000;

interface FakeOrder {
  id: number;
  product_id: number;
  quantity: number;
}

/** Products on every node; orders are kept per node (the primary, each shard). A replica has what
 *  the primary had when replicate() was last called. */
export class FakeDb {
  replicas: string[] = [];
  shards: string[] = [];
  queries: string[] = [];
  pooled = false;
  readonly orders = new Map<string, Map<number, FakeOrder>>();
  private replicaOrders = new Map<number, FakeOrder>();
  private nextId = 100;
  /** write_ref values flushed (unique, as the index makes them). */
  readonly refs = new Set<string>();
  setReplicas(h: string[]) {
    this.replicas = h;
  }
  setPooled(p: boolean) {
    this.pooled = p;
  }
  setShards(h: string[]) {
    this.shards = h;
  }
  pickReplica() {
    return this.replicas[0];
  }
  replicate() {
    this.replicaOrders = new Map(this.on('primary'));
  }
  on(node: string): Map<number, FakeOrder> {
    if (!this.orders.has(node)) this.orders.set(node, new Map());
    return this.orders.get(node)!;
  }
  async read<R>(node: string, sql: string, params: unknown[] = []) {
    return this.query<R>(node, sql, params);
  }
  async query<R>(node: string, sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    this.queries.push(node);
    const id = Number(params[0]);
    const rows = (r: object[]) => ({ rows: r as R[], node, ms: 1 });
    const orders = this.replicas.includes(node) ? this.replicaOrders : this.on(node);
    if (sql.includes('unnest(')) {
      // The flusher's batch (flusher.ts): arrays of product ids, quantities... and write refs, once each.
      const [ids, quantities, , , refs] = params as [number[], number[], unknown, unknown, string[]];
      const inserted = ids.flatMap((p, i) => {
        if (p > PRODUCTS || this.refs.has(refs[i]!)) return [];
        this.refs.add(refs[i]!);
        const order = { id: this.nextId++, product_id: p, quantity: quantities[i]! };
        orders.set(order.id, order);
        return [{ category_id: 3 }];
      });
      return rows(inserted);
    }
    if (sql.includes('INSERT INTO orders')) {
      if (id > PRODUCTS) return rows([]);
      const order = { id: this.nextId++, product_id: id, quantity: Number(params[1]) };
      orders.set(order.id, order);
      return rows([{ id: String(order.id), category_id: 3, created_at: new Date(0) }]);
    }
    if (sql.includes('FROM orders WHERE id')) {
      const found = orders.get(id);
      return rows(found ? [found] : []);
    }
    if (sql.includes('sum(o.quantity')) {
      // Revenue per product of the node's orders, at 10 a unit.
      const top = new Map<number, { id: number; name: string; revenue: number; orders: number }>();
      for (const o of orders.values()) {
        const t = top.get(o.product_id) ?? { id: o.product_id, name: `product ${o.product_id}`, revenue: 0, orders: 0 };
        top.set(o.product_id, { ...t, revenue: t.revenue + o.quantity * 10, orders: t.orders + 1 });
      }
      return rows([...top.values()].sort((a, b) => b.revenue - a.revenue));
    }
    if (sql.includes('FROM products WHERE id')) return rows(id <= PRODUCTS ? [{ id, name: `product ${id}` }] : []);
    return rows([]);
  }
}

/** The write queue as a Redis stream with one consumer group: entries stay until done(). */
export class FakeQueue {
  entries: QueuedOrder[] = [];
  private taken = new Set<string>();
  private seq = 0;
  /** Redis not answering: enqueue and take throw. */
  down = false;
  async enqueue(o: Omit<QueuedOrder, 'id'>) {
    if (this.down) throw new Error('Connection is closed.');
    const id = `${o.at}-${this.seq++}`;
    this.entries.push({ ...o, id });
    return id;
  }
  async take(_consumer: string, count: number) {
    if (this.down) throw new Error('Connection is closed.');
    const batch = this.entries.filter((e) => !this.taken.has(e.id)).slice(0, count);
    batch.forEach((e) => this.taken.add(e.id));
    return batch;
  }
  async done(refs: string[]) {
    this.entries = this.entries.filter((e) => !refs.includes(e.id));
  }
}

export class FakeCache {
  readonly queue = new FakeQueue();
  store = new Map<string, string>();
  async get(key: string): Promise<{ result: CacheResult; value?: string; ms: number }> {
    const value = this.store.get(key);
    return { result: value === undefined ? 'MISS' : 'HIT', value, ms: 0.1 };
  }
  async set(key: string, value: string) {
    this.store.set(key, value);
    return 0.1;
  }
  async del(...keys: string[]) {
    keys.forEach((k) => this.store.delete(k));
    return 0.1;
  }
  /** Entries' time left to live (ms), where a test sets one; none means far from expiry. */
  ttls = new Map<string, number>();
  async getWithTtl(key: string) {
    return { ...(await this.get(key)), ttlLeftMs: this.ttls.get(key) ?? 60_000 };
  }
  async peek(key: string) {
    return this.store.get(key);
  }
  locks = new Set<string>();
  async tryLock(key: string) {
    if (this.locks.has(key)) return false;
    this.locks.add(key);
    return true;
  }
  async unlock(key: string) {
    this.locks.delete(key);
  }
  /** The limiter's counters, as Redis would keep them (expiry left out: tests are shorter than windows). */
  counters = new Map<string, number[]>();
  async fixedWindowHit(key: string) {
    const n = (this.counters.get(key)?.[0] ?? 0) + 1;
    this.counters.set(key, [n]);
    return n;
  }
  async slidingWindowHit(key: string, now: number, windowMs: number, limit: number) {
    // As the Lua script: drop what left the window, count, add this one only when allowed.
    const log = (this.counters.get(key) ?? []).filter((t) => t > now - windowMs);
    const count = log.length + 1;
    if (log.length < limit) log.push(now);
    this.counters.set(key, log);
    return count;
  }
  async ready() {
    return true;
  }
}

export const switches = (
  over: {
    sessions?: ApiConfig['sessions'];
    distanceMs?: number;
    rateLimit?: Partial<ApiConfig['rateLimit']>;
    cache?: Partial<ApiConfig['cache']>;
    edge?: Partial<ApiConfig['edge']>;
    database?: Partial<ApiConfig['database']>;
  } = {},
): ApiConfig => ({
  sessions: over.sessions ?? 'memory',
  distanceMs: over.distanceMs ?? 0,
  rateLimit: {
    enabled: false,
    algorithm: 'fixed-window',
    limit: 20,
    windowSeconds: 1,
    header: 'x-client-id',
    ...over.rateLimit,
  },
  edge: { purgeOnWrite: false, ...over.edge },
  cache: {
    enabled: false,
    strategy: 'cache-aside' as const,
    ttlSeconds: 60,
    invalidation: 'invalidate' as const,
    coalescing: 'none' as const,
    refreshAhead: false,
    writeBehind: { flushIntervalMs: 50, batchSize: 100 },
    ...over.cache,
  },
  database: {
    replicas: [] as string[],
    readFromReplicas: false,
    readYourWrites: false,
    readYourWritesWindowMs: 5000,
    pooled: false,
    shards: { hosts: ['db-primary'], count: 1, mode: 'hash' },
    ...over.database,
  },
});

/** The server the last start() began; stopServer() closes it (call it in afterEach). */
export let running: ApiServer | null = null;

export async function stopServer(): Promise<void> {
  running?.server.closeAllConnections();
  await new Promise((r) => running?.server.close(r) ?? r(null));
  running = null;
}

export async function start(
  s = switches(),
  drainMs = 200,
  extra: Partial<ServerDeps> & { version?: Partial<ServerConfig['version']> } = {},
) {
  const db = new FakeDb();
  const cache = new FakeCache();
  const metrics = createMetrics('api-7');
  const config: ServerConfig = {
    instance: 'api-7',
    port: 0,
    db: { host: 'x', user: 'x', password: 'x', database: 'x' },
    redisHost: 'x',
    redisPassword: '',
    adminToken: TOKEN,
    switches: s,
    seed: { products: PRODUCTS, orders: 1, categories: 1 },
    drainMs,
    version: { name: 'v1', latencyMs: 0, errorRate: 0, ...extra.version },
  };
  const { version: _version, ...deps } = extra;
  running = createServer(config, { db, cache, metrics, log: () => undefined, ...deps });
  const port = await running.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const get = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  return { db, cache, metrics, url, get };
}

export const order = (get: (p: string, i?: RequestInit) => Promise<Response>, productId = 5) =>
  get('/orders', { method: 'POST', body: JSON.stringify({ productId, quantity: 2 }) });
