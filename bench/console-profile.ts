// npm run bench:profile: where the console's main thread spends its time while it watches a live
// run. Builds the renderer unminified (so functions keep their names), brings the full stack up,
// runs read-heavy at BENCH_RATE (40/s) for BENCH_SECONDS (100), traces 15 s of the renderer's tasks
// (what the tasks over 16 ms were made of), samples it with Chromium's CPU profiler for 60 s and prints the functions with the most self
// time and the most time on the stack; BENCH_PROFILE_OUT=file.cpuprofile keeps the profile. Traffic goes only to the stack on 127.0.0.1; the run ends by itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBridge } from '../app/bridge/bridge-server.js';
import { createLab } from '../app/core/create-lab.js';
import { getPreset } from '../app/core/topology/presets.js';
import { openProbedConsole, type ModuleAt } from './console-probe.js';

/** The unminified bundle names each module it inlines in a comment: the line → module map. */
function modulesOf(dir: string): ModuleAt {
  const file = readdirSync(path.join(dir, 'assets')).find((f) => f.endsWith('.js'))!;
  const starts: Array<[number, string]> = [];
  readFileSync(path.join(dir, 'assets', file), 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /^\/\/ (node_modules\/((?:@[^/]+\/)?[^/]+)|app\/\S+)/.exec(text);
      if (m) starts.push([i + 1, m[2] ?? m[1]!]);
    });
  return (url, line) => {
    if (!url.endsWith(file)) return undefined;
    let found: string | undefined;
    for (const [at, name] of starts) if (at <= line) found = name;
    return found;
  };
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 40);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const staticDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-renderer-'));
console.log('building the renderer unminified…');
execFileSync('npx', ['vite', 'build', '--minify', 'false', '--outDir', staticDir, '--logLevel', 'warn'], {
  stdio: 'inherit',
});
const lab = createLab({ stack: 'bench-profile', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-prof-')) });
const t = structuredClone(getPreset('full').topology);
t.ports = { entry: 0, edge: 0, tls: 0 };
t.rateLimit.enabled = false;
console.log('bringing the full stack up…');
await lab.api.stack.up({ topology: t });
const bridge = await startBridge({ lab, staticDir });
const probe = await openProbedConsole(bridge.url);
try {
  await lab.api.load.start({ workload: 'read-heavy', rate: RATE, durationSeconds: SECONDS });
  const window = Math.min(60, SECONDS - 40);
  await sleep(15_000);
  const tasks = await probe.traceTasks(15_000);
  console.log(`\ntasks traced over 15 s: ${tasks.summary()}`);
  console.log('inside the tasks over 16 ms, by trace event (nested events counted in each):');
  for (const [name, ms] of tasks.longTaskParts.slice(0, 15)) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  await sleep(Math.max(0, SECONDS - window - 35) * 1000);
  const profile = await probe.profile(window * 1000, modulesOf(staticDir));
  const total = profile.totalMs;
  console.log(`\nrenderer main thread over ${window} s: ${((profile.busyMs / total) * 100).toFixed(1)}% busy`);
  console.log('\nself time by function (top 25)');
  for (const [name, ms] of profile.byFunction.slice(0, 25))
    console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${((ms / total) * 100).toFixed(2).padStart(6)}%  ${name}`);
  console.log('\nself time by package or source file (top 20)');
  for (const [name, ms] of profile.byModule.slice(0, 20))
    console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${((ms / total) * 100).toFixed(2).padStart(6)}%  ${name}`);
  console.log('\ntime on the stack by function (top 30)');
  for (const [name, ms] of profile.inclusive.slice(0, 30))
    console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${((ms / total) * 100).toFixed(2).padStart(6)}%  ${name}`);
  if (process.env.BENCH_PROFILE_OUT) {
    writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile.raw));
    console.log(`\nthe profile is in ${process.env.BENCH_PROFILE_OUT} (open it in Chromium's DevTools, Performance)`);
  }
  await sleep(6000);
} finally {
  await probe.close();
  await bridge.close();
  await lab.api.stack.down();
}
