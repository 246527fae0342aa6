// npm run bench:db: what the database tier's switches cost and buy, on this machine. One stack
// (three tiers: one API instance, no cache, the full seed), the built-in engine at a fixed rate:
//   - the pooler's overhead on p95: cheap reads straight to PostgreSQL and through PgBouncer,
//     alternated (A B A B) since one run's noise is larger than the difference; beside it,
//     PostgreSQL's own pgbench run inside the primary against port 5432 and 6432, the reference;
//   - the indexes: the expensive read's p95 without and with them, and how long building them took.
// BENCH_SECONDS (15) per run, BENCH_RATE (100/s). Traffic only to the stack on 127.0.0.1.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Workload } from '../app/contract/load.js';
import { createLab } from '../app/core/create-lab.js';
import { createDocker, execIn } from '../app/core/runtime/docker-client.js';
import { containerName } from '../app/core/runtime/names.js';
import { getPreset } from '../app/core/topology/presets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const STACK = 'bench-db';
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
async function pgbench(port: number): Promise<string> {
  const docker = createDocker();
  const c = docker.getContainer(containerName(STACK, 'db-primary'));
  const script = `printf '%s\\n' '\\set id random(1, 10000)' 'SELECT id, name, price FROM products WHERE id = :id;'`;
  const cmd = `${script} > /tmp/read.sql && PGPASSWORD="$DB_PASSWORD" pgbench -n -c 4 -j 2 -T 10 -f /tmp/read.sql -h 127.0.0.1 -p ${port} -U app scalelab`;
  const res = await execIn(docker, c, ['sh', '-c', cmd], 60_000);
  const tps = /tps = ([\d.]+)/.exec(res.output)?.[1];
  const lat = /latency average = ([\d.]+) ms/.exec(res.output)?.[1];
  return tps ? `${Number(tps).toFixed(0)} tps, latency average ${lat} ms` : res.output.trim().split('\n').pop()!;
}

const t = structuredClone(getPreset('three-tier').topology);
t.ports = { entry: 0, edge: 0 };
console.log(`bench:db: three tiers (1 API instance, no cache), ${RATE}/s for ${SECONDS} s a run`);
await lab.api.stack.up({ topology: t });
try {
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

  // Indexes.
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
} finally {
  await lab.api.stack.down();
}
