// The demo API's handlers and HTTP layer over real HTTP on 127.0.0.1, with an in-memory database
// and cache in place of PostgreSQL and Redis (the Docker tests run it against the real ones):
// what each response says about who answered, cache-aside and write-through, read routing and
// read-your-writes, stale reads, bad input, the admin door and a graceful drain.
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiConfig } from './admin-config.js';
import type { CacheResult } from './cache.js';
import { createServer, type ApiServer } from './create-server.js';
import type { QueryResult } from './db.js';
import { createMetrics } from './metrics.js';
import type { ServerConfig } from './server-config.js';

const TOKEN = 'a'.repeat(32);

/** Products on every node; orders written on the primary reach a replica only when replicated. */
class FakeDb {
  replicas: string[] = [];
  queries: string[] = [];
  private primaryOrders = new Map<number, object>();
  private replicaOrders = new Map<number, object>();
  private nextId = 100;
  pooled = false;
  setReplicas(h: string[]) {
    this.replicas = h;
  }
  setPooled(p: boolean) {
    this.pooled = p;
  }
  pickReplica() {
    return this.replicas[0];
  }
  replicate() {
    this.replicaOrders = new Map(this.primaryOrders);
  }
  async read<R>(node: string, sql: string, params: unknown[] = []) {
    return this.query<R>(node, sql, params);
  }
  async query<R>(node: string, sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    this.queries.push(node);
    const id = Number(params[0]);
    const rows = (r: object[]) => ({ rows: r as R[], node, ms: 1 });
    if (sql.includes('INSERT INTO orders')) {
      if (id > 1000) return rows([]);
      const order = { id: String(this.nextId++), category_id: 3, created_at: new Date(0) };
      this.primaryOrders.set(Number(order.id), { id: Number(order.id), product_id: id, quantity: params[1] });
      return rows([order]);
    }
    if (sql.includes('FROM orders WHERE id')) {
      const found = (node === 'primary' ? this.primaryOrders : this.replicaOrders).get(id);
      return rows(found ? [found] : []);
    }
    if (sql.includes('FROM products WHERE id')) return rows(id <= 1000 ? [{ id, name: `product ${id}` }] : []);
    return rows([]);
  }
}

class FakeCache {
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
  async ready() {
    return true;
  }
}

const switches = (over: { cache?: Partial<ApiConfig['cache']>; database?: Partial<ApiConfig['database']> } = {}) => ({
  cache: { enabled: false, strategy: 'cache-aside' as const, ttlSeconds: 60, ...over.cache },
  database: {
    replicas: [] as string[],
    readFromReplicas: false,
    readYourWrites: false,
    readYourWritesWindowMs: 5000,
    pooled: false,
    ...over.database,
  },
});

let api: ApiServer | null = null;
afterEach(async () => {
  api?.server.closeAllConnections();
  await new Promise((r) => api?.server.close(r) ?? r(null));
  api = null;
});

async function start(s = switches(), drainMs = 200) {
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
    seed: { products: 1, orders: 1, categories: 1 },
    drainMs,
  };
  api = createServer(config, { db, cache, metrics, log: () => undefined });
  const port = await api.listen(0);
  const url = `http://127.0.0.1:${port}`;
  const get = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  return { db, cache, metrics, url, get };
}

const order = (get: (p: string, i?: RequestInit) => Promise<Response>, productId = 5) =>
  get('/orders', { method: 'POST', body: JSON.stringify({ productId, quantity: 2 }) });

describe('demo API', () => {
  it('says which instance, cache result and database node answered, and where the time went', async () => {
    const { get } = await start();
    const res = await get('/products/42');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 42 });
    expect(res.headers.get('x-instance')).toBe('api-7');
    expect(res.headers.get('x-cache')).toBe('BYPASS');
    expect(res.headers.get('x-db-node')).toBe('primary');
    expect(res.headers.get('server-timing')).toMatch(/db;dur=/);
  });

  it('cache-aside: a miss loads from the database and fills the cache, the next read is a hit', async () => {
    const { get, db } = await start(switches({ cache: { enabled: true } }));
    expect((await get('/products/7')).headers.get('x-cache')).toBe('MISS');
    const hit = await get('/products/7');
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('x-db-node')).toBe('none');
    expect(db.queries).toEqual(['primary']);
  });

  it('routes reads to a replica, and to the primary for a client that just wrote (read-your-writes)', async () => {
    const s = switches({ database: { replicas: ['db-replica-1'], readFromReplicas: true, readYourWrites: true } });
    const { get } = await start(s);
    expect((await get('/products/1')).headers.get('x-db-node')).toBe('db-replica-1');
    const w = await order(get);
    expect(w.status).toBe(201);
    expect(w.headers.get('x-db-node')).toBe('primary');
    const cookie = (w.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^lw=\d+$/);
    expect((await get('/products/1', { headers: { cookie } })).headers.get('x-db-node')).toBe('primary');
  });

  it('counts and flags a stale read: the replica has not replayed the order the primary has', async () => {
    const s = switches({ database: { replicas: ['db-replica-1'], readFromReplicas: true } });
    const { get, db, metrics } = await start(s);
    const { id } = (await (await order(get)).json()) as { id: number };
    const stale = await get(`/orders/${id}`);
    expect(stale.status).toBe(404);
    expect(stale.headers.get('x-stale-read')).toBe('1');
    expect((await metrics.staleReads.get()).values[0].value).toBe(1);
    db.replicate();
    const fresh = await get(`/orders/${id}`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-stale-read')).toBeNull();
  });

  it('write-through stores the new order, so reading it back needs no database', async () => {
    const { get, db } = await start(switches({ cache: { enabled: true, strategy: 'write-through' } }));
    const { id } = (await (await order(get)).json()) as { id: number };
    db.queries = [];
    const back = await get(`/orders/${id}`);
    expect(back.status).toBe(200);
    expect(back.headers.get('x-cache')).toBe('HIT');
    expect(db.queries).toEqual([]);
  });

  it('refuses bad input with 4xx before any query', async () => {
    const { get, db } = await start();
    expect((await get('/products/0')).status).toBe(400);
    expect((await get('/products?size=1000')).status).toBe(400);
    expect((await get('/orders', { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await get('/orders', { method: 'POST', body: JSON.stringify({ productId: 'x' }) })).status).toBe(400);
    expect((await get('/orders', { method: 'POST', body: 'x'.repeat(20_000) })).status).toBe(413);
    expect((await get('/nothing/here')).status).toBe(404);
    expect(db.queries).toEqual([]);
    expect((await order(get, 5000)).status).toBe(404);
  });

  it('serves static files with an ETag and answers a revalidation with 304', async () => {
    const { get } = await start();
    const first = await get('/static/app.js');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = first.headers.get('etag')!;
    expect((await get('/static/app.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('keeps its admin door shut without the token and takes valid switches with it', async () => {
    const { get, db } = await start();
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    expect((await get('/admin/config')).status).toBe(401);
    expect((await get('/admin/config', { headers: { authorization: `Bearer ${'b'.repeat(32)}` } })).status).toBe(401);
    const bad = await get('/admin/config', { method: 'POST', headers: auth, body: JSON.stringify({ cache: {} }) });
    expect(bad.status).toBe(400);
    const next = switches({ cache: { enabled: true, ttlSeconds: 5 }, database: { pooled: true } });
    const ok = await get('/admin/config', { method: 'POST', headers: auth, body: JSON.stringify(next) });
    expect(ok.status).toBe(200);
    expect(api!.switches()).toEqual(next);
    expect(db.pooled).toBe(true);
    expect((await get('/products/3')).headers.get('x-cache')).toBe('MISS');
  });

  it('drains: health fails at once, requests still served and told to close, then it stops', async () => {
    const { get } = await start(switches(), 300);
    const drained = api!.drain();
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    const during = await get('/products/1');
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    await drained;
    await expect(get('/healthz')).rejects.toThrow();
  });
});
