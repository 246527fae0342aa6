// Figures that must never mislead, on the real full stack under the mixed workload, with api-2
// killed from a second process (`scalelab fault kill api-2` in another "terminal"):
// - from 3 s after the kill, no request is charged to api-2, and edge hits are the edge's;
// - the balancer's series are named by container (api-1, api-3 up; api-2 down), not by slot;
// - the kill made elsewhere is in the run's event log;
// - the status is pushed to a listener when the container dies, with no poll;
// then api-3 paused (hung, not dead) under read-heavy at 200/s: at most 0.5% of requests fail and
// the built-in engine keeps sending on schedule (no second where requests wait for a connection).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY, SERIES, seriesKey } from '../../contract/series.js';
import type { RunData } from '../../contract/runs.js';
import type { StackStatus } from '../../contract/stack.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-figures';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-figures-'));
const bin = path.resolve(import.meta.dirname, '../../../bin/scalelab.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeDocker('figures on the full stack, api-2 killed from another process', () => {
  let lab: Lab;
  let data: RunData;
  let killedAt = 0;
  const pushed: StackStatus[] = [];

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({ topology: testTopology('full', (t) => (t.rateLimit.enabled = false)) });
    lab.on('stack.status', (st) => pushed.push(st));
    const started = await lab.api.load.start({ workload: 'mixed', rate: 60, durationSeconds: 16 });
    await sleep(6000);
    killedAt = Date.now();
    await promisify(execFile)(process.execPath, [bin, '--stack', STACK, 'fault', 'kill', 'api-2'], {
      env: { ...process.env, SCALELAB_HOME: home },
    });
    await lab.runDone();
    data = await lab.api.runs.open({ id: started.id });
  }, 240_000);

  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  const after = (ms: number) => data.timeline.filter((p) => p.t >= killedAt + ms);
  const before = () => data.timeline.filter((p) => p.t + 1000 < killedAt);

  it('charges no request to api-2 from 3 s after it was killed, and counts edge hits as the edge', () => {
    expect(before().some((p) => (p.v[FAMILY.instance.key('api-2')] ?? 0) > 0)).toBe(true);
    const late = after(3000);
    expect(late.length).toBeGreaterThanOrEqual(5);
    for (const p of late) expect(p.v[FAMILY.instance.key('api-2')] ?? 0, `second ${p.t}`).toBe(0);
    expect(late.reduce((s, p) => s + (p.v[FAMILY.cache.key('EDGE_HIT')] ?? 0), 0)).toBeGreaterThan(0);
    // Every response counted once at most: by the instance that served it, or by the edge.
    for (const p of late) {
      const byInstances = ['api-1', 'api-3'].reduce((s, i) => s + (p.v[FAMILY.instance.key(i)] ?? 0), 0);
      const byEdge = p.v[FAMILY.cache.key('EDGE_HIT')] ?? 0;
      expect(byInstances + byEdge).toBeLessThanOrEqual(p.v[SERIES.rps] ?? 0);
    }
  });

  it("names the balancer's servers by container: api-1 and api-3 up, api-2 down", () => {
    const last = after(3000).at(-1)!;
    expect(last.v[seriesKey.balancer('api-1', 'up')]).toBe(1);
    expect(last.v[seriesKey.balancer('api-3', 'up')]).toBe(1);
    expect(last.v[seriesKey.balancer('api-2', 'up')]).toBe(0);
    expect(Object.keys(last.v).filter((k) => /^lb\.api\d\./.test(k))).toEqual([]);
    expect(before().at(-1)!.v[seriesKey.balancer('api-2', 'up')]).toBe(1);
  });

  it('records the kill made from the other terminal in the run, once', () => {
    const kills = data.events.filter((e) => e.kind === 'fault' && /api-2/.test(e.label));
    expect(kills).toHaveLength(1);
    expect(kills[0]).toMatchObject({
      label: 'kill api-2',
      detail: { by: expect.stringMatching(/another ScaleLab process/) },
    });
  });

  it('pushed the status when api-2 died, without being asked', () => {
    const dead = pushed.find((st) => st.services.some((s) => s.name === 'api-2' && s.state === 'exited'));
    expect(dead).toBeDefined();
  });

  describe('api-3 paused under read-heavy at 200/s', () => {
    let hung: RunData;
    let pausedAt = 0;
    beforeAll(async () => {
      await lab.api.stack.up({ topology: testTopology('full', (t) => (t.rateLimit.enabled = false)) }); // heals api-2
      // read-heavy over the products the test data set has (2,000), so a 404 is never the data's.
      const readHeavy = (await lab.api.load.workloads()).find((w) => w.name === 'read-heavy')!;
      const workload = { ...readHeavy, keys: { ...readHeavy.keys, keySpace: TEST_SEED.products } };
      const started = await lab.api.load.start({ workload, rate: 200, durationSeconds: 20 });
      await sleep(5000);
      pausedAt = Date.now();
      await lab.api.stack.fault({ service: 'api-3', kind: 'pause' });
      await lab.runDone();
      hung = await lab.api.runs.open({ id: started.id });
      await lab.api.stack.fault({ service: 'api-3', kind: 'unpause' });
    }, 240_000);

    it('fails at most 0.5% of the requests', () => {
      const s = hung.run.summary!;
      expect(s.requests).toBeGreaterThan(3500);
      expect(s.failed / s.requests, JSON.stringify(s.failuresByReason)).toBeLessThanOrEqual(0.005);
    });

    it('keeps sending on schedule: the engine never waits for a connection, completions never stop', () => {
      const during = hung.timeline.filter((p) => p.t >= pausedAt && p.t < hung.run.endedAt! - 1500);
      expect(during.length).toBeGreaterThanOrEqual(10);
      for (const p of hung.timeline) expect(p.v[SERIES.genWaiting] ?? 0, `second ${p.t}`).toBe(0);
      for (const p of during) expect(p.v[SERIES.rps] ?? 0, `second ${p.t}`).toBeGreaterThan(100);
      expect(hung.events.map((e) => e.label)).toContain('pause api-3');
    });
  });
});
