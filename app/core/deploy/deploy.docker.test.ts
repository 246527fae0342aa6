// Blue-green and canary deploys on a real engine under real load: HAProxy's weights moved through
// its runtime API, each step judged on the instances' own /metrics. A regressed version (slower,
// failing) is rolled back by the canary itself with every instance back on v1; a good one goes to
// 100% and takes the stack's places; blue-green switches at once. No request fails on the way
// (the regressed version's own 500s aside: they are what the canary caught).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeployMarker, DeployRequest, DeployResult } from '../../contract/deploy.js';
import type { RunData } from '../../contract/runs.js';
import { FAMILY } from '../../contract/series.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, sleep, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-deploy';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-deploy-'));
const RATE = 200;

describeDocker('blue-green and canary deploys', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({ topology: testTopology('load-balanced', (t) => (t.api.instances = 2)) });
    await lab.api.stack.buildVersion({ name: 'v2-broken', latencyMs: 80, errorRate: 0.2 });
    await lab.api.stack.buildVersion({ name: 'v3' });
  }, 300_000);
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  /** The deploy under read-heavy load at RATE; the run's data once both are done. */
  async function underLoad(req: DeployRequest): Promise<{ res: DeployResult; data: RunData; ms: number }> {
    const workloads = await lab.api.load.workloads();
    const w = structuredClone(workloads.find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: RATE, durationSeconds: 120 };
    const run = await lab.api.load.start({ workload: w });
    await sleep(3000);
    const t0 = Date.now();
    try {
      const res = await lab.api.stack.deploy(req);
      const ms = Date.now() - t0;
      await sleep(2000);
      await lab.api.load.stop();
      await lab.runDone();
      return { res, data: await lab.api.runs.open({ id: run.id }), ms };
    } finally {
      await lab.api.load.stop().catch(() => undefined);
    }
  }
  const versions = async () =>
    (await lab.api.stack.status()).services.filter((s) => s.role === 'api').map((s) => `${s.name} ${s.version}`);
  const failedBy = (d: RunData, v: string) =>
    d.timeline.reduce((n, p) => n + (p.v[FAMILY.versionFailed.key(v)] ?? 0), 0);
  const phases = (markers: DeployMarker[]) => markers.map((m) => m.phase);

  it('refuses a canary whose steps do not end at 100, a version never built, and a second deploy while one runs', async () => {
    await expect(lab.api.stack.deploy({ version: 'v3', strategy: 'canary', steps: [10, 50] })).rejects.toThrow(
      /do not end at 100/,
    );
    await expect(lab.api.stack.deploy({ version: 'v9', strategy: 'blue-green' })).rejects.toThrow(/v9 was never built/);
    // No load: the canary cannot be judged, so it holds its first step long enough to be asked twice.
    const first = lab.api.stack.deploy({ version: 'v3', strategy: 'canary', steps: [10, 100], stepSeconds: 2 });
    await sleep(1500);
    await expect(lab.api.stack.deploy({ version: 'v3', strategy: 'blue-green' })).rejects.toThrow(
      /a canary deploy to v3 is still being applied/,
    );
    const res = await first;
    // Without traffic there is nothing to judge: rolled back, saying so.
    expect(res.outcome).toBe('rolled-back');
    expect(res.markers.at(-1)!.judgement?.reason).toMatch(/needed to judge/);
    expect(await versions()).toEqual(['api-1 v1', 'api-2 v1']);
    expect((await lab.api.stack.status()).topology?.api.version).toBe('v1');
  }, 120_000);

  it('a canary of a regressed version rolls back by itself; every instance is back on v1', async () => {
    const { res, data } = await underLoad({ version: 'v2-broken', strategy: 'canary', stepSeconds: 3 });
    const judged = res.markers.find((m) => m.phase === 'judged')!;
    console.log(
      `regressed canary: ${judged.judgement!.reason}; rolled back after ${(res.durationMs / 1000).toFixed(1)} s`,
    );
    expect(res.outcome).toBe('rolled-back');
    expect(phases(res.markers)).toEqual(['started', 'ready', 'step', 'judged', 'rolled-back']);
    expect(judged.judgement!.verdict).toBe('worse');
    expect(judged.percent).toBeLessThan(10);
    expect(await versions()).toEqual(['api-1 v1', 'api-2 v1']);
    // v1 failed nothing; the 500s were the broken version's, on its small share.
    expect(failedBy(data, 'v1')).toBe(0);
    expect(failedBy(data, 'v2-broken')).toBeGreaterThan(0);
    expect(data.events.filter((e) => e.kind === 'deploy').map((e) => (e.detail as DeployMarker).phase)).toContain(
      'rolled-back',
    );
  }, 180_000);

  it("a canary of a good version goes to 100% with no request failed, and takes the stack's places", async () => {
    const { res, data, ms } = await underLoad({
      version: 'v3',
      strategy: 'canary',
      steps: [10, 50, 100],
      stepSeconds: 3,
    });
    console.log(
      `canary to v3 under ${RATE}/s: ${(ms / 1000).toFixed(1)} s, ${data.run.summary!.failed} of ${data.run.summary!.requests} failed; steps ${res.markers
        .filter((m) => m.phase === 'step' || m.phase === 'switched')
        .map((m) => `${m.percent}%`)
        .join(' → ')}`,
    );
    expect(res.outcome).toBe('promoted');
    expect(res.markers.filter((m) => m.phase === 'judged').map((m) => m.judgement!.verdict)).toEqual(['pass', 'pass']);
    expect(data.run.summary!.failed).toBe(0);
    expect(await versions()).toEqual(['api-1 v3', 'api-2 v3']);
    expect((await lab.api.stack.status()).topology?.api.version).toBe('v3');
  }, 180_000);

  it('blue-green switches every request at once, with no request failed', async () => {
    const { res, data, ms } = await underLoad({ version: 'v1', strategy: 'blue-green', stepSeconds: 3 });
    const switchAt = res.markers.find((m) => m.phase === 'switched')!;
    const served = (v: string, d: RunData) =>
      d.timeline.reduce((n, p) => n + (p.v[FAMILY.versionCount.key(v)] ?? 0), 0);
    console.log(
      `blue-green v3 → v1 under ${RATE}/s: ${(ms / 1000).toFixed(1)} s (switched at ${(switchAt.elapsedMs / 1000).toFixed(1)} s), ${data.run.summary!.failed} of ${data.run.summary!.requests} failed`,
    );
    expect(res.outcome).toBe('promoted');
    expect(switchAt.percent).toBe(100);
    expect(data.run.summary!.failed).toBe(0);
    expect(served('v1', data)).toBeGreaterThan(0);
    expect(served('v3', data)).toBeGreaterThan(0);
    // Once switched, seconds with both versions answering are the switch's own second or so.
    const mixed = data.timeline.filter(
      (p) => (p.v[FAMILY.versionCount.key('v1')] ?? 0) > 0 && (p.v[FAMILY.versionCount.key('v3')] ?? 0) > 0,
    );
    expect(mixed.length).toBeLessThanOrEqual(3);
    expect(await versions()).toEqual(['api-1 v1', 'api-2 v1']);
  }, 180_000);
});
