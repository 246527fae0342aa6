// Autoscaling on a real engine, under the spike workload: one API instance at 0.5 CPU behind the
// balancer, the engine's HPA rule at 30% CPU (every 3 s, a 12 s scale-down window). Not the
// default 50%: the spike's period read 57% here, within the HPA's 10% tolerance of 50% on a busier
// CI runner, where it decided nothing. The spike
// adds instances within a few periods, the quiet after it removes them once the window has
// passed, and every rescale is a marker with its reason; the timeline shows the instances that
// answered, so the lag between the spike and the new capacity is measured, not told.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AutoscaleMarker, RunData, RunEvent } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';
import { createLab, type Lab } from '../create-lab.js';
import { loadWorkload } from '../load/workload-schema.js';
import { describeDocker, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-autoscale';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-autoscale-'));
const workloads = path.resolve(import.meta.dirname, '../../../load-scripts/workloads');

describeDocker('autoscaling under the spike workload', () => {
  let lab: Lab;
  let data: RunData;
  let spikeAt = 0;
  let quietAt = 0;

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({
      topology: testTopology('autoscaling', (t) => {
        t.api.autoscale = {
          ...t.api.autoscale,
          targetCpuPercent: 30,
          periodSeconds: 3,
          scaleDownStabilizationSeconds: 12,
        };
      }),
    });
    // The shipped spike (50/s, 600/s for 25 s, 50/s), its quiet tail held long enough for the
    // scale-down window, the period and a drain to pass.
    const spike = loadWorkload('spike', workloads);
    if (spike.rate.kind !== 'stages') throw new Error('spike.json is staged');
    spike.rate.stages = [
      { durationSeconds: 8, targetRate: 50 },
      { durationSeconds: 2, targetRate: 600 },
      { durationSeconds: 18, targetRate: 600 },
      { durationSeconds: 2, targetRate: 50 },
      { durationSeconds: 32, targetRate: 50 },
    ];
    // Product ids within the test's smaller seed: a 404 is not what this test is about.
    spike.keys.keySpace = TEST_SEED.products;
    const started = await lab.api.load.start({ workload: spike });
    await lab.runDone();
    data = await lab.api.runs.open({ id: started.id });
    // When the offered rate left 50/s, and when it came back to it.
    const rate = (i: number) => data.timeline[i].v[SERIES.targetRate] ?? 0;
    const first = data.timeline.findIndex((_, i) => rate(i) > 50);
    spikeAt = data.timeline[first].t;
    quietAt = data.timeline[data.timeline.findIndex((_, i) => i > first && rate(i) <= 50)].t;
  }, 240_000);

  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  const markers = () =>
    data.events
      .filter((e): e is RunEvent & { detail: AutoscaleMarker } => e.kind === 'autoscale')
      .map((e) => ({ t: e.t, label: e.label, ...e.detail }));

  // What the rule read each second (CPU % of the limit): said when a test fails.
  const readings = () => JSON.stringify(data.timeline.map((p) => p.v[SERIES.autoscaleReading] ?? null));

  it('adds instances within a few periods of the spike, and they serve', () => {
    const up = markers().find((m) => m.phase === 'decided' && m.to > m.from);
    expect(up, `markers ${JSON.stringify(markers())}, readings ${readings()}`).toBeDefined();
    expect(up!.t - spikeAt).toBeLessThan(12_000);
    expect(up!.label).toMatch(/^autoscale 1 → \d: CPU \d+% vs target 30%: ceil\(1 × [\d.]+\) = \d/);
    const serving = markers().find((m) => m.phase === 'serving' && m.to === up!.to);
    expect(serving?.tookMs).toBeGreaterThan(0);
    // The timeline shows the capacity answering: more than one instance served in some second.
    const most = Math.max(...data.timeline.map((p) => p.v[SERIES.instancesServing] ?? 0));
    expect(most).toBeGreaterThanOrEqual(2);
    console.log(
      `spike → decision ${((up!.t - spikeAt) / 1000).toFixed(1)} s, → serving ${((serving!.t - spikeAt) / 1000).toFixed(1)} s (${markers()
        .map((m) => m.label)
        .join(' | ')})`,
    );
  });

  it('removes them once the quiet has lasted the scale-down window, never lower than it recommended', () => {
    const downs = markers().filter((m) => m.phase === 'decided' && m.to < m.from);
    expect(downs.length, JSON.stringify(markers())).toBeGreaterThan(0);
    expect(downs.at(-1)!.to).toBe(1);
    expect(downs[0].t).toBeGreaterThan(quietAt);
    // The window honoured: no recommendation of the 12 s before a scale-down asked for more than it
    // went to. Each second's point carries the rule's latest recommendation when the stack was
    // sampled, which on a loaded CI runner lags the point's own time by up to a few seconds (a
    // recommendation of 4 from before the window showed inside it with a 2 s margin): 4 s.
    for (const d of downs) {
      const window = data.timeline.filter((p) => p.t > d.t - 12_000 + 4_000 && p.t <= d.t);
      const recs = window.map((p) => p.v[SERIES.autoscaleRecommended]).filter((v) => typeof v === 'number');
      expect(Math.max(...recs), d.label).toBeLessThanOrEqual(d.to);
    }
    expect(markers().some((m) => m.phase === 'serving' && m.to === 1)).toBe(true);
  });

  it('changes the instance count only through decisions it marked', () => {
    const m = markers();
    expect(m.filter((x) => x.phase === 'failed')).toEqual([]);
    // Each decision is followed by its outcome, in order.
    const decided = m.filter((x) => x.phase === 'decided');
    expect(m.filter((x) => x.phase === 'serving').map((x) => x.to)).toEqual(decided.map((x) => x.to));
    // The running count the engine saw stayed within what the decisions asked for.
    const counts = data.timeline.map((p) => p.v[SERIES.apiInstances]).filter((v) => typeof v === 'number');
    expect(Math.max(...counts), JSON.stringify(counts)).toBe(Math.max(...decided.map((x) => x.to)));
    expect(Math.min(...counts), JSON.stringify(counts)).toBe(1);
    // The desired count is in the timeline beside the reading it came from.
    expect(data.timeline.some((p) => typeof p.v[SERIES.autoscaleDesired] === 'number')).toBe(true);
    // Instances leave drained: once the spike's backlog is gone (5 s into the quiet), no request
    // fails while the count comes down. During the spike one instance at half a CPU takes 600/s
    // until the new ones serve, and HAProxy answers 5xx for what waits too long: that is the lag
    // the first test measures, not a fault of the scaler (a CI runner: 808 of 14,100, 5.7%).
    const after = data.timeline.filter((p) => p.t > quietAt + 5_000);
    const sum = (key: string) => after.reduce((n, p) => n + (p.v[key] ?? 0), 0);
    const failedShare = sum(SERIES.failed) / Math.max(1, sum(SERIES.rps));
    console.log(
      `failed: ${JSON.stringify(data.run.summary?.failuresByReason)} of ${data.run.summary?.requests} in the run; ${sum(SERIES.failed)} of ${sum(SERIES.rps)} while scaling down`,
    );
    expect(failedShare).toBeLessThan(0.01);
  });
});
