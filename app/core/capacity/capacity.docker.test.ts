// Capacity on the real stack: a sweep of the CPU-bound endpoint (GET /hash: PBKDF2, about 5 ms of a
// core each, a known cost) on one API instance with one CPU finds a knee, and a second sweep on the
// same stack finds it again within the tolerance stated below.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SweepResult } from '../../contract/capacity.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-capacity';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-capacity-'));

describeDocker('capacity: the knee of a known cost', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({ topology: testTopology('three-tier', (t) => (t.api.cpus = 1)) });
  }, 180_000);
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  it('finds the knee of the CPU-bound endpoint, and finds it again', async () => {
    const sweep = () =>
      lab.api.capacity.sweep({
        workload: 'cpu-bound',
        objective: 'p(95)<100',
        from: 50,
        factor: 2,
        stepSeconds: 8,
        refine: 2,
      });
    const line = (r: SweepResult) =>
      `${r.steps.map((s) => `${s.rate}/s p95 ${s.p95?.toFixed(0)} ms${s.generatorLimited ? ' (generator behind)' : ''}`).join(', ')}; knee ${r.knee?.rate}/s, ended by ${r.limit}, busiest ${r.knee?.busiest?.service} at ${r.knee?.busiest?.cpu.toFixed(0)}%`;
    const first = await sweep();
    const second = await sweep();
    console.log(`sweep 1: ${line(first)}\nsweep 2: ${line(second)}`);
    for (const r of [first, second]) {
      expect(r.limit).toBe('objective');
      expect(r.knee).not.toBeNull();
      // One CPU at about 5 ms a hash: the knee below 200/s, well above the first step.
      expect(r.knee!.rate).toBeGreaterThan(60);
      expect(r.knee!.rate).toBeLessThan(260);
      expect(r.knee!.busiest?.service).toBe('api-1');
      expect(r.knee!.timing.app).toBeGreaterThan(1);
    }
    // Found again within 50%. Measured apart, steps judged by the median of their seconds: 0% (175
    // and 175/s). Judged by the mean, one stalled second broke a step: 0% (125 and 125/s) here, 40%
    // on a CI runner (125 and 175/s), 20% across the bench's three (133, 163, 148/s).
    expect(Math.abs(second.knee!.rate - first.knee!.rate) / first.knee!.rate).toBeLessThanOrEqual(0.5);
    // The sweep's run holds every step: its timeline as long as the steps together.
    const { timeline, events } = await lab.api.runs.open({ id: first.runId });
    expect(timeline.length).toBeGreaterThanOrEqual(first.steps.reduce((n, s) => n + s.seconds, 0));
    // A rate change a step, and one more to drain after each step that broke.
    expect(events.filter((e) => e.kind === 'rate').length).toBeGreaterThanOrEqual(first.steps.length - 1);
  }, 240_000);

  it('refuses an objective that is not a latency bound, and sends no load', async () => {
    await expect(lab.api.capacity.sweep({ workload: 'cpu-bound', objective: 'rate<0.01' })).rejects.toThrow(
      /latency bound/,
    );
    expect(await lab.api.load.current()).toBeNull();
  });
});
