// Records the run shipped in samples/ (what the console replays with no Docker) on the real full
// stack, the same way every time: the mixed workload at 80 requests/s for 75 s with the cache off,
// switched on at 22 s, a 500 ms replica apply delay at 38 s, api-2 killed at 53 s. Then the run
// folder replaces the shipped one. Needs a Docker engine and the images (`npm run images`).
//   npx tsx samples/record-sample.ts
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab } from '../app/core/create-lab.js';
import { getPreset } from '../app/core/topology/presets.js';

const STACK = 'sample-rec';
const here = import.meta.dirname;
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-sample-'));
const lab = createLab({ stack: STACK, dataDir: home });
const at = (s: number, started: number) =>
  new Promise((r) => setTimeout(r, Math.max(0, started + s * 1000 - Date.now())));

const topology = structuredClone(getPreset('full').topology);
topology.cache.enabled = false;
topology.rateLimit.enabled = false;
topology.ports = { entry: 0, edge: 0, tls: 0 };

try {
  console.log('bringing up the full stack (cache off)...');
  await lab.api.stack.up({ topology });
  const run = await lab.api.load.start({ workload: 'mixed', rate: 80, durationSeconds: 75 });
  const started = run.createdAt;
  console.log(`run ${run.id} started`);
  await at(22, started);
  await lab.api.stack.apply({ set: { 'cache.enabled': true } });
  await at(38, started);
  await lab.api.stack.apply({ set: { 'database.replicaApplyDelayMs': 500 } });
  await at(53, started);
  await lab.api.stack.fault({ service: 'api-2', kind: 'kill' });
  await lab.runDone();
  const { dir } = await lab.api.runs.open({ id: run.id });
  for (const old of readdirSync(here).filter((f) => /^\d{8}-/.test(f)))
    rmSync(path.join(here, old), { recursive: true });
  cpSync(dir, path.join(here, run.id), { recursive: true });
  console.log(`samples/${run.id}`);
} finally {
  await lab.api.stack.down().catch(() => undefined);
}
process.exit(0);
