// npm run bench:load: the built-in engine beside wrk (Debian's package), in one run, on one small
// static endpoint on 127.0.0.1; the k6 output parser over the recorded fixture replayed; and the
// stack collectors' CPU at one sample a second (when a stack is up). Traffic stays on 127.0.0.1.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveConfig } from '../app/core/config.js';
import { BuiltinEngine } from '../app/core/load/builtin-engine.js';
import { K6JsonParser } from '../app/core/load/k6-json.js';
import { parseWorkload } from '../app/core/load/workload-schema.js';
import { StackCollector } from '../app/core/metrics/stack-collector.js';
import { DockerRuntime } from '../app/core/runtime/docker-runtime.js';
import { K6_FIXTURES } from '../app/core/testing/k6-fixtures.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const FIXED_RATE = Number(process.env.BENCH_RATE ?? 1000);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-'));
const run = promisify(execFile);

/** The endpoint: a separate Node process answering a small JSON body with keep-alive. */
async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `
    const http = require('node:http');
    const body = Buffer.from('{"ok":true,"id":42,"name":"bench"}');
    const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-instance': 'bench' }); res.end(body); });
    s.keepAliveTimeout = 30000;
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));
    setTimeout(() => process.exit(0), 600000).unref();`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** wrk, with its CPU time (bash's `times`: the second line is the children's user and system time). */
async function wrk(args: string[]): Promise<{ out: string; cpu: number }> {
  const { stdout } = await run('bash', ['-c', `wrk ${args.map((a) => `'${a}'`).join(' ')}; times`], {
    maxBuffer: 1 << 20,
  });
  const times = stdout.trim().split('\n').slice(-1)[0];
  const secs = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { out: stdout, cpu: secs[0] + secs[1] };
}

async function builtin(url: string, rate: number, o: { maxInFlight: number; connections: number; workers?: number }) {
  const engine = new BuiltinEngine({ connections: o.connections, maxInFlight: o.maxInFlight, workers: o.workers ?? 1 });
  const cpu0 = process.cpuUsage();
  const res = await engine.run({
    workload: parseWorkload({
      name: 'bench',
      mix: { 'cheap-read': 1 },
      keys: { keySpace: 1 },
      rate: { kind: 'constant', rate, durationSeconds: SECONDS },
    }),
    target: { baseUrl: url },
    onWindow: () => undefined,
  });
  const c = process.cpuUsage(cpu0);
  return { res, cpu: (c.user + c.system) / 1e6, seconds: (res.endedAt - res.startedAt) / 1000 };
}

function parserThroughput(): { lines: number; samples: number; perSecond: number } {
  const fixture = readFileSync(path.join(K6_FIXTURES, 'out-json.ndjson'), 'utf8');
  const text = fixture.repeat(Math.ceil(400_000 / fixture.split('\n').length));
  let samples = 0;
  const parser = new K6JsonParser({
    sample: () => {
      samples++;
    },
  });
  const t0 = performance.now();
  for (let i = 0; i < text.length; i += 4096) parser.push(text.slice(i, i + 4096));
  parser.end();
  const ms = performance.now() - t0;
  return { lines: parser.stats.lines, samples, perSecond: parser.stats.lines / (ms / 1000) };
}

async function collectorCpu(): Promise<string> {
  const config = resolveConfig();
  const runtime = new DockerRuntime({ ...config });
  const stacks = await runtime.listStacks().catch(() => []);
  const stack = stacks.find((s) => s === config.stack) ?? stacks[0];
  if (!stack || !(await runtime.status(stack)).running)
    return 'skipped: no stack is up (`scalelab up --preset full` first)';
  const collector = new StackCollector(runtime, stack, () => runtime.stackSecrets(stack));
  collector.start();
  await collector.collect();
  const n = 15;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let series = 0;
  for (let i = 0; i < n; i++) {
    series = Object.keys(await collector.collect()).length;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const c = process.cpuUsage(cpu0);
  collector.stop();
  const pct = ((c.user + c.system) / 1000 / (performance.now() - t0)) * 100;
  return `${pct.toFixed(2)}% of one core (stack "${stack}", ${series} series a second, ${n} samples)`;
}

async function main(): Promise<void> {
  const server = await startServer();
  const lua = path.join(tmp, 'pace.lua');
  const fmt = (n: number, d = 0) => n.toFixed(d).padStart(10);
  try {
    console.log(`endpoint ${server.url}, ${os.cpus().length} cores, ${SECONDS} s per measure\n`);
    // 1. Maximum rate.
    const w = await wrk(['-t1', '-c64', `-d${SECONDS}s`, server.url]);
    const wrkRps = Number(/Requests\/sec:\s+([\d.]+)/.exec(w.out)?.[1]);
    const wrkReqs = Number(/(\d+) requests in/.exec(w.out)?.[1]);
    const b = await builtin(server.url, 100_000, { connections: 64, maxInFlight: 256 });
    const bRps = b.res.totals.completed / b.seconds;
    const b2 = await builtin(server.url, 100_000, { connections: 32, maxInFlight: 128, workers: 2 });
    const b2Rps = b2.res.totals.completed / b2.seconds;
    // 2. A fixed rate, well below both maxima. wrk has no rate option: a Lua delay() paces each connection.
    const conns = 20;
    writeFileSync(
      lua,
      `
      function delay() return ${(conns * 1000) / FIXED_RATE} end
      done = function(summary, latency, requests)
        io.write(string.format("P50 %f P95 %f N %d\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests))
      end`,
    );
    const wf = await wrk(['-t1', `-c${conns}`, `-d${SECONDS}s`, '-s', lua, server.url]);
    const m = /P50 ([\d.]+) P95 ([\d.]+) N (\d+)/.exec(wf.out)!;
    const bf = await builtin(server.url, FIXED_RATE, { connections: conns, maxInFlight: 1000 });

    console.log(`${'measure'.padEnd(44)} ${'built-in'.padStart(10)} ${'wrk'.padStart(10)}`);
    console.log(
      `${'maximum requests per second'.padEnd(44)} ${fmt(bRps)} ${fmt(wrkRps)}   built-in/wrk = ${(bRps / wrkRps).toFixed(2)} (target >= 0.5)`,
    );
    console.log(
      `${'maximum requests per second, 2 threads'.padEnd(44)} ${fmt(b2Rps)} ${' '.repeat(10)}   (the server shares these ${os.cpus().length} cores)`,
    );
    console.log(
      `${'CPU seconds per 10,000 requests'.padEnd(44)} ${fmt((b.cpu / b.res.totals.completed) * 10_000, 3)} ${fmt((w.cpu / wrkReqs) * 10_000, 3)}`,
    );
    console.log(`${`p50 at ${FIXED_RATE}/s (ms)`.padEnd(44)} ${fmt(bf.res.latency!.p50, 3)} ${fmt(Number(m[1]), 3)}`);
    console.log(`${`p95 at ${FIXED_RATE}/s (ms)`.padEnd(44)} ${fmt(bf.res.latency!.p95, 3)} ${fmt(Number(m[2]), 3)}`);
    console.log(
      `${`requests completed at ${FIXED_RATE}/s`.padEnd(44)} ${fmt(bf.res.totals.completed)} ${fmt(Number(m[3]))}`,
    );
    console.log(
      `(built-in at max rate: ${b.res.totals.dropped} arrivals dropped as over the in-flight bound, as an open model does)`,
    );
  } finally {
    server.stop();
  }
  const p = parserThroughput();
  console.log(
    `\nk6 JSON parser: ${Math.round(p.perSecond).toLocaleString('en')} lines/s over ${p.lines.toLocaleString('en')} lines of the recorded fixture (target >= 200,000)`,
  );
  console.log(`collectors: ${await collectorCpu()} (target < 5%)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
