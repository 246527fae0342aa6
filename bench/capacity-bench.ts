// npm run bench:capacity: how long a capacity sweep and a 5-point scaling curve take on this
// machine, and how stable the knee is across three sweeps (spread as a percentage of their mean).
// Beside it, in the same run, the figure a plain benchmarking client gives: the most requests a
// second 32 connections get through as fast as they can (a closed loop, no latency objective),
// which is not a capacity anyone could run at.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { createLab } from '../app/core/create-lab.js';
import type { SweepRequest } from '../app/contract/capacity.js';
import { testTopology } from '../app/core/testing/docker-env.js';
import { curveLines, sweepLines } from '../app/cli/commands/sweep.js';

const lab = createLab({ stack: 'bench-capacity', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-')) });
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const SWEEP: SweepRequest = {
  workload: 'cpu-bound',
  objective: 'p(95)<100',
  from: 40,
  factor: 1.6,
  stepSeconds: 8,
  refine: 2,
};

/** Requests answered per second by `connections` clients sending back to back for `ms` (bounded). */
async function closedLoop(url: string, connections: number, ms: number): Promise<number> {
  const agent = new Agent({ connections });
  const end = Date.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const res = await request(`${url}/hash?iterations=20000`, { dispatcher: agent });
        await res.body.arrayBuffer();
        if (res.statusCode === 200) done++;
      }
    }),
  );
  await agent.close();
  return done / (ms / 1000);
}

async function main() {
  const status = await lab.api.stack.up({ topology: testTopology('three-tier', (t) => (t.api.cpus = 1)) });
  try {
    const knees: number[] = [];
    const took: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await lab.api.capacity.sweep(SWEEP);
      took.push(performance.now() - t0);
      knees.push(r.knee?.rate ?? NaN);
      if (i === 0) console.log(sweepLines(r).join('\n'));
    }
    const mean = knees.reduce((a, b) => a + b, 0) / knees.length;
    const spread = ((Math.max(...knees) - Math.min(...knees)) / mean) * 100;
    const closed = await closedLoop(status.entryUrl!, 32, 10_000);
    const t0 = performance.now();
    const curve = await lab.api.capacity.curve({
      ...SWEEP,
      across: { field: 'api.instances', values: [1, 2, 3, 4, 5] },
      target: 300,
      headroom: 0.5,
    });
    const curveMs = performance.now() - t0;
    console.log(`\n${curveLines(curve).join('\n')}`);
    console.log(`
capacity bench (${os.cpus().length} cores, cpu-bound on one API instance of 1 CPU, p(95)<100, steps of ${SWEEP.stepSeconds} s)
  sweep took                  ${took.map(secs).join(', ')}
  knee                        ${knees.join(', ')} requests/s (spread ${spread.toFixed(1)}% of the mean)
  closed loop, 32 connections ${closed.toFixed(0)} requests/s answered, no objective (what a plain benchmark client reports)
  5-point curve took          ${secs(curveMs)} (api.instances 1..5)`);
  } finally {
    await lab.api.stack.down();
  }
}

await main();
