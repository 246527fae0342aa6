// npm run bench:db: what the database tier's switches cost and buy, on this machine. One stack
// (three tiers: one API instance, no cache, the full seed), the built-in engine at a fixed rate:
//   - the pooler's overhead on p95: cheap reads straight to PostgreSQL and through PgBouncer,
//     alternated (A B A B) since one run's noise is larger than the difference; beside it,
//     PostgreSQL's own pgbench run inside the primary against port 5432 and 6432, the reference;
//   - the indexes: the expensive read's p95 without and with them, and how long building them took.
//   - backups: switching WAL archiving on with its first full backup, another full backup timed
//     beside pgBackRest's own start and stop times (the reference), and the restore drill twice
//     (point-in-time recovery of the seeded data: restore time, write outage, what came back).
// Then a second stack under Patroni (database.ha: a primary, one replica, etcd, the router):
//   - failover and switchover drills, twice each: the write outage at the entry point beside
//     Patroni's own view of when the new leader was elected, and the acknowledged writes lost;
//   - synchronous vs asynchronous: the write p95 at a fixed rate, beside pgbench's INSERTs run
//     inside the leader (the reference), then a failover in synchronous mode (RPO 0).
// And a third stack, sharded (database.shards, one API instance, the full seed):
//   - the category page (a scatter-gather over every shard) on one shard and on three;
//   - how unevenly the shards share the sharded workload (Zipf-popular products) by range and by hash;
//   - re-sharding: the rows moved and the rate, with no load and under load (its error rate), beside
//     PostgreSQL copying the same number of rows inside one shard (INSERT ... SELECT, the reference).
// BENCH_SECONDS (15) per run, BENCH_RATE (100/s), BENCH_PARTS (pooler,indexes,restore,ha,sharding).
// Traffic only to the stacks on 127.0.0.1.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Workload } from '../app/contract/load.js';
import { createLab } from '../app/core/create-lab.js';
import { createDocker, execIn } from '../app/core/runtime/docker-client.js';
import { containerName } from '../app/core/runtime/names.js';
import { drillLines, restoreLines } from '../app/cli/commands/drill.js';
import { getPreset } from '../app/core/topology/presets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const STACK = 'bench-db';
const PARTS = new Set((process.env.BENCH_PARTS ?? 'pooler,indexes,restore,ha,sharding').split(','));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lab = createLab({ stack: STACK, dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-db-')) });

/** A shipped workload made into one kind of request, keys spread evenly. */
const base = (await lab.api.load.workloads()).find((w) => w.name === 'read-heavy')!;
const workload = (name: string, mix: Workload['mix']): Workload => ({
  ...base,
  name,
  description: `bench:db ${name}`,
  mix,
  keys: { ...base.keys, distribution: 'uniform' },
  rate: { kind: 'constant', rate: RATE, durationSeconds: SECONDS },
  thinkTimeMs: 0,
  thresholds: {},
});

/** One run at a fixed rate; its p95 and error rate as the built-in engine measured them. */
async function run(w: Workload, rate = RATE): Promise<{ p95: number; errors: number }> {
  const rec = await lab.api.load.start({ workload: w, rate, durationSeconds: SECONDS });
  for (let i = 0; i < SECONDS * 4 + 120 && (await lab.api.load.current()); i++) await sleep(500);
  const { run: done } = await lab.api.runs.open({ id: rec.id });
  return { p95: done.summary?.latency?.p95 ?? NaN, errors: done.summary?.errorRate ?? NaN };
}

const set = (field: string, value: string | boolean) => lab.api.stack.apply({ set: { [field]: value } });
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** pgbench inside the primary: 4 clients for 10 s of keyed product reads, on one port (the
 *  password from the container's own environment, which exec inherits). */
const READ_SQL = ['\\set id random(1, 10000)', 'SELECT id, name, price FROM products WHERE id = :id;'];
const INSERT_SQL = [
  '\\set id random(1, 10000)',
  'INSERT INTO orders (product_id, quantity, unit_price) SELECT id, 1, price FROM products WHERE id = :id;',
];

async function pgbench(port: number, node = 'db-primary', sql = READ_SQL): Promise<string> {
  const docker = createDocker();
  const c = docker.getContainer(containerName(STACK, node));
  const script = `printf '%s\\n' ${sql.map((l) => `'${l}'`).join(' ')}`;
  const cmd = `${script} > /tmp/bench.sql && PGPASSWORD="$DB_PASSWORD" pgbench -n -c 4 -j 2 -T 10 -f /tmp/bench.sql -h 127.0.0.1 -p ${port} -U app scalelab`;
  const res = await execIn(docker, c, ['sh', '-c', cmd], 60_000);
  const tps = /tps = ([\d.]+)/.exec(res.output)?.[1];
  const lat = /latency average = ([\d.]+) ms/.exec(res.output)?.[1];
  return tps ? `${Number(tps).toFixed(0)} tps, latency average ${lat} ms` : res.output.trim().split('\n').pop()!;
}

const t = structuredClone(getPreset('three-tier').topology);
t.ports = { entry: 0, edge: 0, tls: 0 };
console.log(`bench:db: three tiers (1 API instance, no cache), ${RATE}/s for ${SECONDS} s a run`);
if (['pooler', 'indexes', 'restore'].some((p) => PARTS.has(p))) await lab.api.stack.up({ topology: t });
try {
  if (PARTS.has('pooler')) await poolerPart();
  if (PARTS.has('indexes')) await indexesPart();
  if (PARTS.has('restore')) await restorePart();
} finally {
  await lab.api.stack.down();
}
if (PARTS.has('ha')) await haPart();
if (PARTS.has('sharding')) await shardingPart();

async function poolerPart() {
  // Pooler overhead, alternated.
  const cheap = workload('cheap-reads', { 'cheap-read': 100 });
  const direct: number[] = [];
  const pooled: number[] = [];
  for (let round = 0; round < 2; round++) {
    await set('database.pooler', 'none');
    direct.push((await run(cheap)).p95);
    await set('database.pooler', 'pgbouncer');
    await sleep(1000);
    pooled.push((await run(cheap)).p95);
  }
  console.log('\ncheap reads, p95 seen by the load generator (two runs each, alternated)');
  console.log(`  straight to PostgreSQL   ${direct.map(ms).join(', ')}`);
  console.log(`  through PgBouncer        ${pooled.map(ms).join(', ')}`);
  console.log('reference: pgbench inside the primary, 4 clients, keyed product reads for 10 s');
  console.log(`  port 5432 (PostgreSQL)   ${await pgbench(5432)}`);
  console.log(`  port 6432 (PgBouncer)    ${await pgbench(6432)}`);
  await set('database.pooler', 'none');
}

async function indexesPart() {
  const expensive = workload('category-pages', { 'expensive-read': 100 });
  const slowRate = Math.min(RATE, 20);
  const w = { ...expensive, rate: { kind: 'constant' as const, rate: slowRate, durationSeconds: SECONDS } };
  const without = (await run(w, slowRate)).p95;
  const t0 = performance.now();
  await set('database.indexes', true);
  const built = performance.now() - t0;
  const withIdx = (await run({ ...w, name: 'category-pages-indexed' }, slowRate)).p95;
  const plan = await lab.api.stack.explain({ category: 1 });
  console.log(`\ncategory pages (the expensive read), ${slowRate}/s, p95 seen by the load generator`);
  console.log(`  without indexes          ${ms(without)}`);
  console.log(`  with indexes             ${ms(withIdx)}   (built in ${(built / 1000).toFixed(1)} s, CONCURRENTLY)`);
  console.log(`  PostgreSQL's own execution time now: ${plan.executionMs} ms, indexes ${plan.indexes.join(', ')}`);
}

async function restorePart() {
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log('\nbackups (pgBackRest) of the seeded data (10,000 products, 300,000 orders)');
  let t0 = performance.now();
  await set('database.backups', true);
  console.log(`  switched on (archive_command, stanza, first full backup)   ${secs(performance.now() - t0)}`);
  t0 = performance.now();
  const b = await lab.api.stack.backup();
  console.log(`  another full backup, as the engine timed it                 ${secs(performance.now() - t0)}`);
  console.log(
    `  reference: pgBackRest's own start and stop                  ${secs(b.stop - b.start)} (whole seconds), ${(b.size / 1e6).toFixed(1)} MB, ${(b.repoSize / 1e6).toFixed(1)} MB stored`,
  );
  for (let i = 0; i < 2; i++) console.log(restoreLines(await lab.api.stack.restoreDrill()).join('\n'));
}

async function haPart() {
  const ha = structuredClone(t);
  ha.database.replicas = 1;
  ha.database.ha = true;
  console.log('\nhigh availability: Patroni with a primary and one replica, etcd (1 member), db-router');
  await lab.api.stack.up({ topology: ha });
  try {
    for (const kind of ['failover', 'switchover', 'failover', 'switchover'] as const) {
      const r = await lab.api.stack.drill({ kind });
      console.log(drillLines(r).join('\n'));
    }
    const leader = async () => {
      const s = await lab.api.stack.status();
      const node = s.services.find((x) => x.ports.patroni && x.state === 'running')!;
      const c = (await (await fetch(`http://${node.ports.patroni}/cluster`)).json()) as {
        members: Array<{ name: string; role: string }>;
      };
      return c.members.find((m) => m.role === 'leader')!.name;
    };
    const writes = workload('writes', { write: 100 });
    const rate = Math.min(RATE, 50);
    const w = { ...writes, rate: { kind: 'constant' as const, rate, durationSeconds: SECONDS } };
    const p95 = { async: [] as number[], sync: [] as number[] };
    const insert = { async: '', sync: '' };
    for (const mode of ['async', 'sync', 'async', 'sync'] as const) {
      await set('database.synchronous', mode === 'sync');
      await sleep(5000); // Patroni names (or drops) its synchronous standby on its next loop
      p95[mode].push((await run({ ...w, name: `writes-${mode}` }, rate)).p95);
      insert[mode] = await pgbench(5432, await leader(), INSERT_SQL);
    }
    console.log(`\nwrites (POST /orders), ${rate}/s, p95 seen by the load generator (two runs each, alternated)`);
    console.log(`  asynchronous standby     ${p95.async.map(ms).join(', ')}`);
    console.log(`  synchronous standby      ${p95.sync.map(ms).join(', ')}`);
    console.log('reference: pgbench INSERTs inside the leader, 4 clients for 10 s');
    console.log(`  asynchronous             ${insert.async}`);
    console.log(`  synchronous              ${insert.sync}`);
    const r = await lab.api.stack.drill({ kind: 'failover' });
    console.log(drillLines(r).join('\n'));
  } finally {
    await lab.api.stack.down();
  }
}

async function shardingPart() {
  console.log('\nsharding: one API instance, the full seed (300,000 orders), no cache');
  await lab.api.stack.up({ topology: t });
  try {
    const category = workload('category-pages', { 'expensive-read': 100 });
    const slowRate = Math.min(RATE, 20);
    const pages = { ...category, rate: { kind: 'constant' as const, rate: slowRate, durationSeconds: SECONDS } };
    // A first run warms the fresh stack (its first category pages read the table from disk).
    await run({ ...pages, name: 'category-pages-warm-up' }, slowRate);
    const one = (await run(pages, slowRate)).p95;
    const spread = await lab.api.stack.apply({ set: { 'database.shards': 3 } });
    const three = (await run({ ...pages, name: 'category-pages-3-shards' }, slowRate)).p95;
    console.log(`category pages, ${slowRate}/s, p95 seen by the load generator`);
    console.log(`  one shard (the primary)          ${ms(one)}`);
    console.log(`  three shards (scatter-gather)    ${ms(three)}`);
    const moved = (what: string, r: NonNullable<typeof spread.rebalance>) =>
      `  ${what.padEnd(32)} ${r.rowsMoved.toLocaleString('en-US')} rows in ${r.seconds.toFixed(1)} s = ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s, ${r.bucketsMoving}/64 buckets, ${r.leftMisplaced} left misplaced`;
    console.log('re-sharding (the engine moving misplaced orders in batches of 2,000)');
    console.log(moved('1 -> 3 shards, no load', spread.rebalance!));

    // Hot shard: the sharded workload (Zipf-popular products) by range, then by hash.
    const sharded = (await lab.api.load.workloads()).find((w) => w.name === 'sharded')!;
    const skewOf = async (mode: 'range' | 'hash') => {
      const r = await lab.api.stack.apply({ set: { 'database.sharding': mode } });
      console.log(moved(`3 shards, hash <-> range, no load`, r.rebalance!));
      const rec = await lab.api.load.start({ workload: sharded, rate: 80, durationSeconds: SECONDS });
      for (let i = 0; i < SECONDS * 4 + 120 && (await lab.api.load.current()); i++) await sleep(500);
      const { timeline } = await lab.api.runs.open({ id: rec.id });
      const skews = timeline.map((p) => p.v['db.shard_skew']).filter((x): x is number => typeof x === 'number');
      return skews.reduce((a, b) => a + b, 0) / Math.max(1, skews.length);
    };
    const range = await skewOf('range');
    const hash = await skewOf('hash');
    console.log('the sharded workload (Zipf over product ids), 80/s: busiest shard / mean, averaged per second');
    console.log(`  by range                         ${range.toFixed(2)}`);
    console.log(`  by hash                          ${hash.toFixed(2)}`);

    // A shard added while the mixed workload runs.
    const mixed = (await lab.api.load.workloads()).find((w) => w.name === 'mixed')!;
    const rec = await lab.api.load.start({ workload: mixed, rate: RATE, durationSeconds: SECONDS });
    await sleep(3000);
    const added = await lab.api.stack.apply({ set: { 'database.shards': 4 } });
    for (let i = 0; i < SECONDS * 4 + 120 && (await lab.api.load.current()); i++) await sleep(500);
    const { run: done } = await lab.api.runs.open({ id: rec.id });
    console.log(moved(`3 -> 4 shards, mixed ${RATE}/s`, added.rebalance!));
    console.log(`  the run's error rate meanwhile   ${((done.summary?.errorRate ?? NaN) * 100).toFixed(2)}%`);

    // Reference: PostgreSQL copying as many rows inside one shard, no network, one statement.
    const n = added.rebalance!.rowsMoved;
    const docker = createDocker();
    const c = docker.getContainer(containerName(STACK, 'db-primary'));
    const copy = `CREATE TEMP TABLE copy AS SELECT * FROM orders LIMIT ${n}`;
    const res = await execIn(
      docker,
      c,
      ['sh', '-c', `PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -U app -c '\\timing on' -c '${copy}' scalelab`],
      60_000,
    );
    if (!/Time: /.test(res.output)) console.log(res.output);
    const took = Number(/Time: ([\d.]+) ms/.exec(res.output)?.[1]);
    console.log(
      `reference: ${n.toLocaleString('en-US')} rows copied inside one shard by PostgreSQL   ${took.toFixed(0)} ms = ${Math.round(n / (took / 1000)).toLocaleString('en-US')} rows/s`,
    );
  } finally {
    await lab.api.stack.down();
  }
}
