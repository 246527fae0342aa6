// Sharding on a real engine (database.shards, database.sharding), on one stack: each shard a
// PostgreSQL primary of its own, seeded with the orders it owns; the API routes writes by product
// and scatters reads. Adding a shard under a steady stream of writes and reads moves the rows with
// progress and loses none; range sharding under Zipf-popular products makes one shard hot; going
// back down drains the shard before it is removed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StackProgress } from '../../contract/stack.js';
import { FAMILY } from '../../contract/series.js';
import { SERVICE } from '../../contract/services.js';
import { ownerSql, shardOf } from '../../../stack/api/src/shard-map.js';
import { createKeySampler } from '../load/key-sampler.js';
import { StackCollector } from '../metrics/stack-collector.js';
import type { DockerRuntime } from '../runtime/docker-runtime.js';
import { readerPool } from '../runtime/reader-pool.js';
import {
  describeDocker,
  getJson,
  requestLoop,
  sleep,
  TEST_SEED,
  testRuntime,
  testTopology,
} from '../testing/docker-env.js';
import { WriteProbe } from './write-probe.js';

const STACK = 't-shards';

describeDocker('sharding: orders spread over primaries by product', () => {
  let runtime: DockerRuntime;
  let entry: string;
  let password: string;

  /** Each running shard's answer to a count, by shard name (`sql` may depend on the shard number). */
  const onShards = async (sql: string | ((shard: number) => string)): Promise<Record<string, number>> => {
    const shards = (await runtime.services(STACK)).filter((s) => s.role === 'db' && s.ports.db);
    const out: Record<string, number> = {};
    for (const s of shards) {
      const [host, port] = s.ports.db.split(':');
      const pool = readerPool(host!, Number(port), password, { statementTimeoutMs: 10_000 });
      try {
        const shard = s.name === SERVICE.primary ? 0 : Number(s.name.replace('db-shard-', ''));
        const text = typeof sql === 'string' ? sql : sql(shard);
        out[s.name] = Number((await pool.query<{ n: string }>(text)).rows[0]!.n);
      } finally {
        await pool.end();
      }
    }
    return out;
  };
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  /** Reads back, through the API, orders the probe had acknowledged: each must be found. */
  const readBack = async (probe: WriteProbe, count: number) => {
    const ids = probe.writes.flatMap((w) => (w.id === null ? [] : [w.id]));
    const missing: number[] = [];
    for (const id of ids.slice(-count)) {
      const res = await getJson(`${entry}/orders/${id}`);
      if (res.status !== 200) missing.push(id);
    }
    return { asked: Math.min(count, ids.length), missing };
  };

  beforeAll(async () => {
    runtime = testRuntime();
    const st = await runtime.up(
      STACK,
      testTopology('load-balanced', (t) => {
        t.api.instances = 2;
        t.database.replicas = 0;
        t.database.shards = 2;
      }),
    );
    entry = st.entryUrl!;
    password = (await runtime.stackSecrets(STACK)).dbPassword;
  }, 240_000);
  afterAll(async () => {
    await runtime?.down(STACK).catch(() => undefined);
  });

  it('seeds each shard with the orders it owns and every product, and routes by product', async () => {
    const orders = await onShards('SELECT count(*) AS n FROM orders');
    expect(Object.keys(orders).sort()).toEqual([SERVICE.primary, 'db-shard-1']);
    expect(sum(orders)).toBe(TEST_SEED.orders);
    for (const n of Object.values(orders)) expect(n).toBeGreaterThan(TEST_SEED.orders / 5);
    expect(Object.values(await onShards('SELECT count(*) AS n FROM products'))).toEqual([
      TEST_SEED.products,
      TEST_SEED.products,
    ]);
    const owner = ownerSql({ count: 2, mode: 'hash' }, TEST_SEED.products);
    expect(sum(await onShards((k) => `SELECT count(*) AS n FROM orders WHERE ${owner} <> ${k}`))).toBe(0);

    for (const productId of [1, 2, 3, 1999]) {
      const res = await getJson(`${entry}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId, quantity: 1 }),
      });
      expect(res.status).toBe(201);
      const shard = shardOf(productId, { count: 2, mode: 'hash' }, TEST_SEED.products);
      expect(res.headers.get('x-db-node')).toBe(shard === 0 ? 'primary' : 'db-shard-1');
      const back = await getJson(`${entry}/orders/${res.body.id}`);
      expect(back.status).toBe(200);
      expect(back.body.product_id).toBe(productId);
      expect(back.headers.get('x-db-node')).toBe('all-shards');
    }
    const top = await getJson(`${entry}/categories/1/top`);
    expect(top.status).toBe(200);
    expect(top.body.top).toHaveLength(10);
    expect(top.headers.get('server-timing')).toMatch(/scatter-gather over 2 shards/);
  }, 60_000);

  it('adds a shard under writes and reads: rows move with progress, none lost, every order readable', async () => {
    const probe = new WriteProbe({ entryUrl: entry, rate: 40, maxMs: 120_000 });
    const reads = requestLoop(entry, { concurrency: 2, maxMs: 120_000 });
    probe.start();
    await sleep(1000);
    const events: StackProgress[] = [];
    const applied = await runtime.apply(
      STACK,
      (t) => ({ ...t, database: { ...t.database, shards: 3 } }),
      (e) => {
        events.push(e);
      },
    );
    await sleep(1000);
    await probe.stop();
    const served = await reads.stop();

    const r = applied.rebalance!;
    console.log(
      `rebalance 2→3 shards: ${r.rowsMoved} rows in ${r.seconds.toFixed(1)} s (${Math.round(r.rowsPerSecond)} rows/s), ` +
        `${r.bucketsMoving}/64 buckets, per shard ${JSON.stringify(r.rowsPerShard)}; probe ${probe.writes.length} writes`,
    );
    expect(applied.changes.map((c) => [c.field, c.kind])).toEqual([['database.shards', 'live']]);
    expect(r.rowsMoved).toBeGreaterThan(0);
    expect(r.leftMisplaced).toBe(0);
    expect(r.rowsPerShard['db-shard-2']).toBeGreaterThan(0);
    expect(events.some((e) => /moving orders: [\d,]+ of [\d,]+ rows/.test(e.message) && e.progress !== undefined)).toBe(
      true,
    );
    // No request lost: every write acknowledged, every read answered, while the rows moved.
    expect(probe.writes.filter((w) => w.id === null).map((w) => w.failure)).toEqual([]);
    expect(served.failed).toEqual([]);
    // Every order is on exactly one shard, and each one the probe wrote is readable through the API.
    const orders = await onShards('SELECT count(*) AS n FROM orders');
    const distinct = await onShards('SELECT count(DISTINCT id) AS n FROM orders');
    expect(sum(orders)).toBe(sum(distinct));
    expect(sum(orders)).toBe(TEST_SEED.orders + 4 + probe.writes.length);
    const back = await readBack(probe, 200);
    expect(back.missing).toEqual([]);
    expect(back.asked).toBeGreaterThan(50);
  }, 180_000);

  it('under range sharding the popular products make their shard hot (queries per shard charted)', async () => {
    const applied = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, sharding: 'range' } }));
    expect(applied.rebalance!.leftMisplaced).toBe(0);
    const collector = new StackCollector(runtime, STACK, () => runtime.stackSecrets(STACK));
    try {
      await collector.collect();
      // Zipf over the product ids (rank = id): the low ids, on the first range, get most orders.
      const next = createKeySampler({ distribution: 'zipf', zipfExponent: 1, keySpace: TEST_SEED.products });
      for (let i = 0; i < 30; i++)
        await Promise.all(
          Array.from({ length: 10 }, () =>
            fetch(`${entry}/orders`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ productId: next(), quantity: 1 }),
            }).then((res) => res.arrayBuffer()),
          ),
        );
      const v = await collector.collect();
      const on = (node: string) => v[FAMILY.dbQueriesOn.key(node)] ?? 0;
      console.log(
        `range, Zipf writes: queries primary ${on('primary')}, shard-1 ${on('db-shard-1')}, shard-2 ${on('db-shard-2')}`,
      );
      expect(on('primary')).toBeGreaterThan(2 * on('db-shard-1'));
      expect(on('primary')).toBeGreaterThan(2 * on('db-shard-2'));
    } finally {
      collector.stop();
    }
  }, 120_000);

  it('drains a shard before removing it when shards go down, and refuses shards with replicas', async () => {
    const before = await onShards('SELECT count(*) AS n FROM orders');
    const applied = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, shards: 2 } }));
    expect(applied.rebalance!.rowsPerShard['db-shard-2']).toBe(0);
    expect((await runtime.services(STACK)).map((s) => s.name)).not.toContain('db-shard-2');
    expect(sum(await onShards('SELECT count(*) AS n FROM orders'))).toBe(sum(before));

    const status = await runtime.status(STACK);
    await expect(runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, replicas: 1 } }))).rejects.toThrow(
      /2 shards run as single primaries, without read replicas/,
    );
    expect((await runtime.status(STACK)).services.map((s) => s.name)).toEqual(status.services.map((s) => s.name));
  }, 120_000);
});
