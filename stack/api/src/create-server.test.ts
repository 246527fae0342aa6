// The demo API's handlers and HTTP layer over real HTTP on 127.0.0.1, with an in-memory database
// and cache in place of PostgreSQL and Redis (the Docker tests run it against the real ones):
// what each response says about who answered, cache-aside and write-through, read routing and
// read-your-writes, stale reads, bad input, the admin door and a graceful drain.
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterLink } from './cluster-link.js';
import type { InstanceChange } from './cluster-messages.js';
import { order, running, start, stopServer, switches, TOKEN } from './test-server.js';

afterEach(stopServer);

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

  it('a far origin: every response waits its distance first, and Server-Timing names it apart from the app', async () => {
    const { get } = await start(switches({ distanceMs: 60 }));
    const started = performance.now();
    const res = await get('/products/42');
    expect(performance.now() - started).toBeGreaterThanOrEqual(59);
    const st = res.headers.get('server-timing') ?? '';
    const origin = Number(/origin;dur=([\d.]+);desc="distance to the users"/.exec(st)?.[1]);
    expect(origin).toBeGreaterThanOrEqual(59);
    expect(Number(/app;dur=([\d.]+)/.exec(st)?.[1])).toBeLessThan(origin);
    expect((await get('/healthz')).headers.get('server-timing')).toBeNull();
  });

  it('says its version, and a version built with a regression is slower or fails by design', async () => {
    const plain = await start();
    expect((await plain.get('/products/1')).headers.get('x-version')).toBe('v1');
    await stopServer();
    const { get } = await start(switches(), 200, { version: { name: 'v2', latencyMs: 40, errorRate: 1 } });
    const started = performance.now();
    const res = await get('/products/1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(39);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-version')).toBe('v2');
    expect(await res.json()).toEqual({ error: 'a regression built into version v2' });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('cache-aside: a miss loads from the database and fills the cache, the next read is a hit', async () => {
    const { get, db } = await start(switches({ cache: { enabled: true } }));
    expect((await get('/products/7')).headers.get('x-cache')).toBe('MISS');
    const hit = await get('/products/7');
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('x-db-node')).toBe('none');
    expect(db.queries).toEqual(['primary']);
  });

  it('refresh-ahead: a hit near its expiry answers at once and reloads the entry behind it', async () => {
    const { get, db, cache } = await start(switches({ cache: { enabled: true, refreshAhead: true } }));
    await get('/products/7');
    expect((await get('/products/7')).headers.get('x-cache')).toBe('HIT');
    expect(db.queries).toEqual(['primary']);
    cache.ttls.set('product:7', 5_000);
    expect((await get('/products/7')).headers.get('x-cache')).toBe('HIT');
    await expect.poll(() => db.queries.length).toBe(2);
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
    expect(running!.switches()).toEqual(next);
    expect(db.pooled).toBe(true);
    expect((await get('/products/3')).headers.get('x-cache')).toBe('MISS');
  });

  it('clustered: a worker sends switches and a stall to every worker through the primary, and serves the summed metrics', async () => {
    const relayed: InstanceChange[] = [];
    const link: ClusterLink = {
      // The primary relays the change to every worker, this one included.
      everywhere: async (change) => {
        relayed.push(change);
        await running!.apply(change);
      },
      metrics: async () => 'scalelab_http_requests_total{route="product",status="200"} 12\n',
    };
    const { get, db } = await start(switches(), 200, { cluster: link, workerId: 2 });
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const next = switches({ database: { pooled: true } });
    expect((await get('/admin/config', { method: 'POST', headers: auth, body: JSON.stringify(next) })).status).toBe(
      200,
    );
    expect(relayed).toEqual([{ kind: 'config', config: next }]);
    expect(db.pooled).toBe(true);
    const stall = await get('/admin/stall', { method: 'POST', headers: auth, body: JSON.stringify({ ms: 50 }) });
    expect(relayed[1]).toMatchObject({ kind: 'stall' });
    expect(((await stall.json()) as { stallUntil: number }).stallUntil).toBe((relayed[1] as { until: number }).until);
    expect(await (await get('/metrics')).text()).toMatch(/ 12\n$/);
    expect((await get('/products/1')).headers.get('x-worker')).toBe('2');
  });

  it('drains: health fails at once, requests still served and told to close, then it stops', async () => {
    const { get } = await start(switches(), 300);
    const drained = running!.drain();
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    const during = await get('/products/1');
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    await drained;
    await expect(get('/healthz')).rejects.toThrow();
  });
});
