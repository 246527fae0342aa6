// The API over shards (database.shards), with the in-memory database: writes go to the shard that
// owns the product, reads of an order or of a category's ranking ask every shard and merge, and a
// layout that is changing (a rebalance) keeps every row findable.
import { afterEach, describe, expect, it } from 'vitest';
import { SCATTER_NODE } from './scatter.js';
import { shardOf } from './shard-map.js';
import { order, PRODUCTS, running, start, stopServer, switches, TOKEN } from './test-server.js';

afterEach(stopServer);

const HOSTS = ['db-primary', 'db-shard-1', 'db-shard-2'];
const nodeOf = (k: number) => (k === 0 ? 'primary' : HOSTS[k]);
const sharded = (mode: 'hash' | 'range', count = 3, hosts = HOSTS.slice(0, count)) =>
  switches({ database: { shards: { hosts, count, mode } } });

describe('the API over shards', () => {
  it('writes each order on the shard that owns its product, and says which', async () => {
    for (const mode of ['hash', 'range'] as const) {
      const { get, db } = await start(sharded(mode));
      for (const productId of [1, 2, 500, 999]) {
        const res = await order(get, productId);
        expect(res.status).toBe(201);
        const k = shardOf(productId, { count: 3, mode }, PRODUCTS);
        expect(res.headers.get('x-db-node')).toBe(nodeOf(k));
        const { id } = (await res.json()) as { id: number };
        expect(db.on(nodeOf(k)).has(id)).toBe(true);
      }
      await stopServer();
    }
    // Range: low ids on the first shard, high ids on the last; a product is read where its orders are.
    const { get } = await start(sharded('range'));
    expect((await order(get, 1)).headers.get('x-db-node')).toBe('primary');
    expect((await order(get, PRODUCTS)).headers.get('x-db-node')).toBe('db-shard-2');
    expect((await get('/products/1')).headers.get('x-db-node')).toBe('primary');
    expect((await get(`/products/${PRODUCTS}`)).headers.get('x-db-node')).toBe('db-shard-2');
  });

  it('finds an order by id on whichever shard holds it, asking all of them at once', async () => {
    const { get, db } = await start(sharded('hash'));
    db.on('db-shard-2').set(7, { id: 7, product_id: 3, quantity: 1 });
    const res = await get('/orders/7');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 7, product_id: 3 });
    expect(res.headers.get('x-db-node')).toBe(SCATTER_NODE);
    expect(res.headers.get('server-timing')).toMatch(/db;dur=[\d.]+;desc="scatter-gather over 3 shards"/);
    expect(db.queries.sort()).toEqual(['db-shard-1', 'db-shard-2', 'primary']);
    expect((await get('/orders/8')).status).toBe(404);
  });

  it("merges the shards' rankings, summing a product whose orders span two shards (mid-move)", async () => {
    const { get, db } = await start(sharded('hash'));
    db.on('primary').set(1, { id: 1, product_id: 10, quantity: 3 });
    db.on('db-shard-1').set(2, { id: 2, product_id: 10, quantity: 2 });
    db.on('db-shard-1').set(3, { id: 3, product_id: 11, quantity: 4 });
    db.on('db-shard-2').set(4, { id: 4, product_id: 12, quantity: 1 });
    const res = await get('/categories/3/top');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { top: Array<{ id: number; revenue: number; orders: number }> };
    expect(body.top.map((r) => [r.id, r.revenue, r.orders])).toEqual([
      [10, 50, 2],
      [11, 40, 1],
      [12, 10, 1],
    ]);
  });

  it('during a rebalance writes follow the new layout while reads still reach the shard being drained', async () => {
    // From three shards to two: db-shard-2 still holds rows until the engine has moved them.
    const { get, db } = await start(sharded('hash', 2, HOSTS));
    db.on('db-shard-2').set(9, { id: 9, product_id: 4, quantity: 1 });
    expect((await get('/orders/9')).status).toBe(200);
    for (let p = 1; p <= 40; p++) expect((await order(get, p)).headers.get('x-db-node')).not.toBe('db-shard-2');
  });

  it('refuses a layout that writes to a shard it names no host for, and keeps the one it had', async () => {
    const { get } = await start(sharded('hash'));
    const bad = switches({ database: { shards: { hosts: ['db-primary'], count: 2, mode: 'hash' } } });
    const res = await get('/admin/config', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/every shard written to needs a host/);
    expect(running!.switches().database.shards.count).toBe(3);
  });
});
