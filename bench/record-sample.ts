// Records the run that ships in samples/ for a first look without Docker: the full stack, the
// mixed workload, and during it the cache switched on, a replica apply delay, an instance killed.
//   npx tsx bench/record-sample.ts   (needs Docker; replaces samples/<the new run id>)
import { cpSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab } from '../app/core/create-lab.js';
import { getPreset } from '../app/core/topology/presets.js';

const lab = createLab({ stack: 'sample', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-sample-')) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t = structuredClone(getPreset('full').topology);
t.ports = { entry: 0, edge: 0, tls: 0 };
t.rateLimit.enabled = false;
t.cache.enabled = false;
const apply = async (patch: (x: typeof t) => void) => {
  t = structuredClone(t);
  patch(t);
  await lab.api.stack.apply({ topology: t });
};

console.log('bringing the stack up…');
await lab.api.stack.up({ topology: t });
const run = await lab.api.load.start({ workload: 'mixed', rate: 80, durationSeconds: 75 });
console.log(`recording ${run.id}`);
await sleep(20_000);
await apply((x) => {
  x.cache.enabled = true;
});
await sleep(15_000);
await apply((x) => {
  x.database.replicaApplyDelayMs = 500;
});
await sleep(15_000);
await lab.api.stack.fault({ service: 'api-2', kind: 'kill' });
await lab.runDone();
const { dir, run: record } = await lab.api.runs.open({ id: run.id });
console.log(`${record.status}: ${record.summary?.requests} requests, p95 ${record.summary?.latency?.p95} ms`);
const samples = path.resolve(import.meta.dirname, '..', 'samples');
for (const old of readdirSync(samples).filter((f) => /^\d{8}-/.test(f)))
  rmSync(path.join(samples, old), { recursive: true, force: true });
cpSync(dir, path.join(samples, run.id), { recursive: true });
await lab.api.stack.down();
console.log(`saved to samples/${run.id}`);
