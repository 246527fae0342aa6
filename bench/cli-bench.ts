// `npm run bench:cli`: how fast the command line starts, beside `docker --version` (another CLI
// on this machine, as the floor) and beside the CLI run from source through tsx (how it ran before
// it was bundled). Target: `scalelab --help` under 0.3 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-cli-'));
const env = { ...process.env, SCALELAB_HOME: home, SCALELAB_STACK: 'bench-cli-none' };

function time(cmd: string, args: string[]): { median: number; min: number; max: number } {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'ignore' });
    ms.push(performance.now() - t0);
    if (r.error) throw r.error;
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], min: ms[0], max: ms[ms.length - 1] };
}

// The bundle is brought up to date once, outside the timings.
execFileSync(process.execPath, ['bin/scalelab.mjs', '--help'], { cwd: root, stdio: 'ignore' });
const tsxCli = [
  '--import',
  'tsx',
  '-e',
  "const { runCli } = await import('./app/cli/main.ts'); process.exit(await runCli(process.argv.slice(1)))",
];
const rows: Array<[string, ReturnType<typeof time>]> = [
  ['docker --version (reference)', time('docker', ['--version'])],
  ['scalelab --help', time(process.execPath, ['bin/scalelab.mjs', '--help'])],
  ['scalelab status (no stack)', time(process.execPath, ['bin/scalelab.mjs', 'status'])],
  ['scalelab --help from source (tsx)', time(process.execPath, [...tsxCli, '--', '--help'])],
];
console.log(`start-up times, ${RUNS} runs each, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
console.log(`${'command'.padEnd(36)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}`);
for (const [name, t] of rows) {
  const f = (x: number) => `${(x / 1000).toFixed(3)} s`.padStart(8);
  console.log(`${name.padEnd(36)} ${f(t.median)} ${f(t.min)} ${f(t.max)}`);
}
const help = rows[1][1].median;
console.log(`\n--help: ${(help / 1000).toFixed(3)} s, target < 0.300 s: ${help < 300 ? 'met' : 'MISSED'}`);
