// npm run bench:long-run: a real long run on the real stack watched by the console in browser
// mode (Debian's Chromium), as an instructor would leave it on a projector. The full stack, the
// read-heavy workload at a steady rate for BENCH_MINUTES (60 by default), the cache switched on a
// third of the way in and api-2 restarted at two thirds. Prints the renderer's JS heap every five
// minutes, frame intervals and long tasks, what the run store kept, and how long the report of
// the whole run takes to make. Traffic goes only to the stack on 127.0.0.1; the run ends by itself.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRendererIfStale } from '../app/bridge/main.js';
import { startBridge } from '../app/bridge/bridge-server.js';
import { createLab } from '../app/core/create-lab.js';
import { getPreset } from '../app/core/topology/presets.js';
import { openProbedConsole, pct, type TaskDurations } from './console-probe.js';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 40);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lab = createLab({ stack: 'bench-long', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-long-')) });
let t = structuredClone(getPreset('full').topology);
t.ports = { entry: 0, edge: 0, tls: 0 };
t.rateLimit.enabled = false;
t.cache.enabled = false;

console.log(`bringing the full stack up, then ${MINUTES} minutes of read-heavy at ${RATE}/s…`);
await lab.api.stack.up({ topology: t });
const bridge = await startBridge({ lab, staticDir: await buildRendererIfStale(() => undefined) });
const probe = await openProbedConsole(bridge.url);

const run = await lab.api.load.start({ workload: 'read-heavy', rate: RATE, durationSeconds: MINUTES * 60 });
const t0 = Date.now();
const cpu0 = process.cpuUsage();
const heaps: Array<[number, number]> = [];
const at = (min: number) => t0 + min * 60_000;
const marks = [
  {
    when: at(MINUTES / 3),
    what: 'cache on',
    act: async () => {
      t = { ...t, cache: { ...t.cache, enabled: true } };
      await lab.api.stack.apply({ topology: t });
    },
  },
  {
    when: at((2 * MINUTES) / 3),
    what: 'restart api-2',
    act: () => lab.api.stack.fault({ service: 'api-2', kind: 'restart' }),
  },
];
// One minute of the renderer's main thread traced near the end, with the charts full: each task's cost.
let tasks: Promise<TaskDurations> | null = null;
for (let minute = 0; minute < MINUTES; minute++) {
  if (minute === Math.max(0, MINUTES - 3)) tasks = probe.traceTasks(60_000);
  for (const m of marks.filter((x) => x.when <= Date.now() + 60_000 && x.when > Date.now())) {
    await sleep(m.when - Date.now());
    await m.act();
    console.log(`  ${m.what}`);
  }
  await sleep(Math.max(0, at(minute + 1) - Date.now()));
  if ((minute + 1) % 5 === 0) {
    heaps.push([minute + 1, await probe.heapMb()]);
    console.log(`  minute ${minute + 1}: heap ${heaps[heaps.length - 1][1].toFixed(1)} MB`);
  }
}
await lab.runDone();
const cpu = process.cpuUsage(cpu0);
const cpuShare = (cpu.user + cpu.system) / 1000 / (Date.now() - t0);
const { frames, longTasks } = await probe.read();
const drawn = await probe.page.locator('[data-testid="chart-throughput"]').getAttribute('data-points');
const data = await lab.api.runs.open({ id: run.id });
const r0 = performance.now();
const html = await lab.api.reports.build({ run: run.id, format: 'html' });
const reportS = (performance.now() - r0) / 1000;
await probe.close();
await bridge.close();
await lab.api.stack.down();

const full = heaps.filter(([m]) => m >= 15).map(([, h]) => h);
const s = data.run.summary;
console.log(
  `\nrun ${run.id}: ${data.run.status}, ${s?.requests} requests, ${s?.rps}/s, p95 ${s?.latency?.p95} ms, errors ${((s?.errorRate ?? 0) * 100).toFixed(2)}%`,
);
console.log(
  `run store kept ${data.timeline.length} seconds and ${data.events.length} events; the charts hold ${drawn} points`,
);
console.log(`renderer JS heap: ${heaps.map(([m, h]) => `${m} min ${h.toFixed(1)}`).join(', ')} MB`);
if (full.length)
  console.log(
    `heap from minute 15 on: min ${Math.min(...full).toFixed(1)}, max ${Math.max(...full).toFixed(1)} MB, spread ${(((Math.max(...full) - Math.min(...full)) / Math.min(...full)) * 100).toFixed(0)}%`,
  );
console.log(
  `frame intervals: ${frames.summary()}; long tasks ${longTasks.length} (${(longTasks.length / (MINUTES * 60)).toFixed(2)} a second${longTasks.length ? `, p50 ${pct(longTasks, 50).toFixed(0)} ms` : ''})`,
);
console.log(
  `engine process (load generator at ${RATE}/s, collectors, run store, bridge): ${(cpuShare * 100).toFixed(1)}% of a core`,
);
if (tasks)
  console.log(
    `main thread, minute ${Math.max(0, MINUTES - 3)} to ${Math.max(0, MINUTES - 3) + 1}: ${(await tasks).summary()}`,
  );
console.log(`HTML report of the whole run: ${(html.bytes / 1024).toFixed(0)} KB in ${reportS.toFixed(1)} s`);
process.exit(0);
