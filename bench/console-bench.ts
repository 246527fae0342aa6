// npm run bench:console: the console in browser mode (Debian's Chromium) fed one point per
// simulated second for 60 simulated minutes, at 20 points a second of wall time. Prints the
// renderer's JS heap across the hour, frame intervals and long tasks while charts update, then
// the same at a live run's pace (one point a second, charts full), and the host process's CPU. Points are the sample run's real series, cycled.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { LabEvents } from '../app/contract/lab-api.js';
import type { TimelinePoint } from '../app/contract/runs.js';
import { buildRendererIfStale } from '../app/bridge/main.js';
import { startBridge } from '../app/bridge/bridge-server.js';
import { createLab } from '../app/core/create-lab.js';
import type { Servable } from '../app/rpc/serve.js';
import { openProbedConsole, pct } from './console-probe.js';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const RATE = Number(process.env.BENCH_POINTS_PER_SECOND ?? 20);
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 60);
const samples = path.resolve(import.meta.dirname, '..', 'samples');
const sampleRun = readdirSync(samples).find((f) => /^\d{8}-/.test(f))!;
const source = readFileSync(path.join(samples, sampleRun, 'timeline.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as TimelinePoint);

const lab = createLab({ stack: 'bench-console', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-cbench-')) });
const listeners = new Map<string, Set<(p: unknown) => void>>();
const host: Servable = {
  api: lab.api,
  on: (event, fn) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(fn as (p: unknown) => void);
    return () => set.delete(fn as (p: unknown) => void);
  },
};
// A real run's keys come in the order its requests completed, a different order each second (and
// V8 gives each order a hidden class of its own): the sample's 76 points, cycled, would not show it.
let seed = 7;
const shuffled = (v: TimelinePoint['v']) => {
  const keys = Object.keys(v);
  for (let i = keys.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return Object.fromEntries(keys.map((k) => [k, v[k]]));
};
const emit = <K extends keyof LabEvents>(event: K, p: LabEvents[K]) => listeners.get(event)?.forEach((fn) => fn(p));

const bridge = await startBridge({ lab: host, staticDir: await buildRendererIfStale(() => undefined) });
const probe = await openProbedConsole(bridge.url);
const { page, heapMb } = probe;

const total = MINUTES * 60;
const heaps: Array<[number, number]> = [[0, await heapMb()]];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const start = Date.now();
for (let s = 0; s < total; s++) {
  const src = source[s % source.length];
  emit('run.point', { t: start + s * 1000, v: shuffled(src.v) });
  // The charts appear with the first point (before it, the view says to start load).
  if (s === 0) await page.locator('[data-testid="chart-throughput"]').waitFor();
  if ((s + 1) % 300 === 0) heaps.push([(s + 1) / 60, await heapMb()]);
  const due = t0 + ((s + 1) * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const { frames, longTasks } = await probe.read();
const points = await page.locator('[data-testid="chart-throughput"]').getAttribute('data-points');

// Then as a live run goes, with the charts full: one point a second of wall time, the main
// thread traced meanwhile (every task: each update's cost, not just the frames it delays).
await probe.reset();
const liveTrace = probe.traceTasks(LIVE_SECONDS * 1000);
for (let s = 0; s < LIVE_SECONDS; s++) {
  emit('run.point', { t: start + (total + s) * 1000, v: shuffled(source[(total + s) % source.length].v) });
  await new Promise((r) => setTimeout(r, 1000));
}
const liveTasks = await liveTrace;
const live = await probe.read();
await probe.close();

// Reference: the same Chromium and probe on a page that draws nothing, for as long: the floor
// this machine's frame timing and task tracing give with no console at all.
const blank = await openProbedConsole('about:blank', '');
const blankTrace = blank.traceTasks(LIVE_SECONDS * 1000);
const blankTasks = await blankTrace;
const blankFrames = await blank.read();
await blank.close();
await bridge.close();

// The charts' window fills at MAX_POINTS simulated seconds; from then on memory should be flat.
const fullAt = 900 / 60;
const after5 = heaps.filter(([m]) => m >= Math.min(fullAt, MINUTES)).map(([, h]) => h);
console.log(
  `console fed ${total} points (${MINUTES} simulated minutes) in ${wallS.toFixed(0)} s; the charts hold ${points} points at the end\n`,
);
console.log('renderer JS heap after GC, by simulated minute:');
console.log(heaps.map(([m, h]) => `  ${String(m).padStart(3)} min  ${h.toFixed(1)} MB`).join('\n'));
console.log(
  `heap once the charts' window is full (minute ${fullAt} on): min ${Math.min(...after5).toFixed(1)} MB, max ${Math.max(...after5).toFixed(1)} MB, spread ${(((Math.max(...after5) - Math.min(...after5)) / Math.min(...after5)) * 100).toFixed(0)}% (target: flat within 20%)`,
);
console.log(`frame intervals: ${frames.summary()} (target: updates under 16 ms a frame)`);
console.log(
  `long tasks (> 50 ms): ${longTasks.length}, p50 ${longTasks.length ? pct(longTasks, 50).toFixed(0) : '-'} ms (${(longTasks.length / total).toFixed(2)} per point)`,
);
if (LIVE_SECONDS) {
  console.log(`\nthen live, 1 point/s for ${LIVE_SECONDS} s with the charts full:`);
  console.log(
    `  console      frames ${live.frames.summary()}; long tasks ${live.longTasks.length}${live.longTasks.length ? ` (p50 ${pct(live.longTasks, 50).toFixed(0)} ms)` : ''}`,
  );
  console.log(`               main thread: ${liveTasks.summary()}`);
  console.log(`  blank page   frames ${blankFrames.frames.summary()}; long tasks ${blankFrames.longTasks.length}`);
  console.log(`  (reference)  main thread: ${blankTasks.summary()}`);
}
console.log(
  `host process (engine + bridge) CPU: ${(((cpu.user + cpu.system) / 1e6 / wallS) * 100).toFixed(1)}% of a core at ${RATE} points/s`,
);
process.exit(0);
