// Capacity on the real stack: a sweep of the CPU-bound endpoint (GET /hash: PBKDF2, about 5 ms of a
// core each, a known cost) on one API instance with one CPU finds a knee, and a second sweep on the
// same stack finds it again within the tolerance stated below; a short scaling curve across one and
// two instances is kept and reported.
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
        // From 100/s (50/s told nothing 100/s did not): 100, 200, 400, then halving the gap twice.
        from: 100,
        factor: 2,
        // 8 s: with 6 s steps a CI run found 100 and 175/s (75% apart).
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
      // One CPU at about 4-5 ms a hash: the knee about 200-250/s, above the first step.
      expect(r.knee!.rate).toBeGreaterThan(100);
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

  it("measures a short scaling curve, keeps it, and reports it with each sweep run's measurement", async () => {
    const c = await lab.api.capacity.curve({
      workload: 'cpu-bound',
      objective: 'p(95)<100',
      from: 100,
      factor: 2,
      stepSeconds: 5,
      refine: 0,
      maxSteps: 4,
      across: { field: 'api.instances', values: [1, 2] },
    });
    console.log(
      `curve: ${c.points.map((p) => `${p.value}: knee ${p.sweep.knee?.rate ?? '-'}/s (${p.throughput?.toFixed(0) ?? '-'} done/s), ended by ${p.sweep.limit}`).join('; ')}`,
    );
    expect(c.points.map((p) => p.value)).toEqual([1, 2]);
    expect(c.error).toBeNull();
    expect(c.endedAt).not.toBeNull();
    expect((await lab.api.capacity.curves())[0]).toEqual(c);
    const doc = JSON.parse((await lab.api.reports.curve({ curve: c.id, format: 'json' })).content);
    // Each sweep's own run is found, with its verdict on its measurement.
    expect(doc.measurements.map((m: { verdict: string } | null) => m?.verdict)).toEqual(
      c.points.map(() => expect.stringMatching(/^(sound|distorted)$/)),
    );
    const html = (await lab.api.reports.curve({ curve: c.id, format: 'html' })).content;
    expect(html).toContain(`<title>ScaleLab capacity: api.instances = 1, 2</title>`);
  }, 240_000);

  it('refuses an objective that is not a latency bound, and sends no load', async () => {
    await expect(lab.api.capacity.sweep({ workload: 'cpu-bound', objective: 'rate<0.01' })).rejects.toThrow(
      /latency bound/,
    );
    expect(await lab.api.load.current()).toBeNull();
  });
});
