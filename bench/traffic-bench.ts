// npm run bench:traffic: compute and traffic on this machine. Vertical scaling first: one API
// instance given 0.25, 0.5, 1 and 2 CPUs (applied live), and the most CPU-bound work it serves
// (GET /hash: PBKDF2-SHA256, 20,000 iterations) with 16 clients back to back for BENCH_SECONDS
// (5) at each; beside it, the reference: the same hash computed in this process, on one core,
// with nothing in between. Traffic only to the stack on 127.0.0.1; every loop is bounded.
import { pbkdf2Sync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareApiBundle, resolveConfig } from '../app/core/config.js';
import { DockerRuntime } from '../app/core/runtime/docker-runtime.js';
import { getPreset } from '../app/core/topology/presets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const STACK = 'bench-traffic';
const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-traffic-')) });
const runtime = new DockerRuntime({ ...config, prepareApiBundle: () => prepareApiBundle(config.stackDir) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Closed loop: `clients` back to back for `ms`; answers per second, p50, and the workers seen. */
async function hashRate(url: string, ms: number, clients = 16) {
  const until = Date.now() + ms;
  const took: number[] = [];
  const workers = new Set<string>();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        const res = await fetch(`${url}/hash?iterations=20000`, { signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        if (res.status === 200) took.push(performance.now() - t0);
        workers.add(res.headers.get('x-worker') ?? '?');
      }
    }),
  );
  took.sort((a, b) => a - b);
  return { perSecond: took.length / (ms / 1000), p50: took[Math.floor(took.length / 2)] ?? NaN, workers: workers.size };
}

/** The reference: hashes one core computes in `ms`, in this process. */
function localRate(ms: number): number {
  const until = performance.now() + ms;
  let n = 0;
  while (performance.now() < until) {
    pbkdf2Sync('password-20000', 'scalelab', 20_000, 32, 'sha256');
    n++;
  }
  return n / (ms / 1000);
}

const t = structuredClone(getPreset('single-server').topology);
t.ports = { entry: 0, edge: 0 };
console.log(`bench:traffic: one API instance (single-server), GET /hash with 16 clients for ${SECONDS} s a setting`);
console.log(`reference: this process on one core, no HTTP   ${localRate(3000).toFixed(0)} hashes/s`);
const st = await runtime.up(STACK, t);
try {
  const url = st.entryUrl!;
  await hashRate(url, 2000); // warm-up: the JIT, the pools
  console.log('api.cpus   workers   hashes/s   p50');
  for (const cpus of [0.25, 0.5, 1, 2]) {
    await runtime.apply(STACK, (cur) => ({ ...cur, api: { ...cur.api, cpus } }));
    await sleep(3000); // the instance's primary reads its CPU limit every 2 s and adds workers
    const r = await hashRate(url, SECONDS * 1000);
    console.log(
      `${String(cpus).padEnd(10)} ${String(r.workers).padEnd(9)} ${r.perSecond.toFixed(0).padStart(8)}   ${r.p50.toFixed(0)} ms`,
    );
  }
} finally {
  await runtime.down(STACK);
}
