// bench:traffic, part 1: vertical scaling. One API instance given 0.25, 0.5, 1 and 2 CPUs (applied
// live), and the most CPU-bound work it serves (GET /hash: PBKDF2-SHA256, 20,000 iterations) with
// 16 clients back to back for `seconds` at each, from a process of its own; beside it, the
// reference: the same hash computed in this process, on one core, with nothing in between.
import { execFileSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DockerRuntime } from '../../app/core/runtime/docker-runtime.js';
import { getPreset } from '../../app/core/topology/presets.js';

const STACK = 'bench-traffic';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Closed loop in a process of its own (app/core/testing/hash-client.mjs): answers per second, p50, workers seen. */
function hashRate(url: string, ms: number, clients = 16): { perSecond: number; p50: number; workers: number } {
  const client = fileURLToPath(new URL('../../app/core/testing/hash-client.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [client, url, String(ms / 1000), String(clients)], { encoding: 'utf8' });
  return JSON.parse(out) as { perSecond: number; p50: number; workers: number };
}

/** The host's CPU time so far (busy and total jiffies, all cores), from /proc/stat. */
function hostCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
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

export async function verticalScaling(runtime: DockerRuntime, seconds: number): Promise<void> {
  const t = structuredClone(getPreset('single-server').topology);
  t.ports = { entry: 0, edge: 0, tls: 0 };
  t.database.sharesApiCores = false; // stage 1 pins the API to one core: here it may use every core
  console.log(
    `\n1. vertical scaling: one API instance (single-server), GET /hash with 16 clients for ${seconds} s a setting`,
  );
  console.log(`reference: this process on one core, no HTTP   ${localRate(3000).toFixed(0)} hashes/s`);
  const st = await runtime.up(STACK, t);
  try {
    const url = st.entryUrl!;
    hashRate(url, 2000); // warm-up: the JIT, the pools
    console.log(
      `api.cpus   workers   hashes/s   p50      host CPU busy (${os.availableParallelism()} cores, all processes)`,
    );
    for (const cpus of [0.25, 0.5, 1, 2]) {
      await runtime.apply(STACK, (cur) => ({ ...cur, api: { ...cur.api, cpus } }));
      await sleep(3000); // the instance's primary reads its CPU limit every 2 s and adds workers
      const before = hostCpu();
      const r = hashRate(url, seconds * 1000);
      const after = hostCpu();
      const busy = (100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total);
      console.log(
        `${String(cpus).padEnd(10)} ${String(r.workers).padEnd(9)} ${r.perSecond.toFixed(0).padStart(8)}   ${r.p50.toFixed(0).padStart(4)} ms   ${busy.toFixed(0)}%`,
      );
    }
  } finally {
    await runtime.down(STACK);
  }
}
