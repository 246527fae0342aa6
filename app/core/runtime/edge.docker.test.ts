// The edge on a real engine: the origin made far (api.distanceMs: every response the API gives
// waits 80 ms, as a round trip to far users would cost) under the mixed workload, which asks for
// static files through the nginx edge. An edge hit never reaches the origin and pays nothing; a
// miss and every dynamic request pay the distance, named in Server-Timing. And the security
// headers HAProxy adds when switched on.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAMILY, seriesKey } from '../../contract/series.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-edge';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-edge-'));
const DISTANCE = 80;

describeDocker('the edge: a far origin, and security headers at the balancer', () => {
  let lab: Lab;
  let entry: string;

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    const st = await lab.api.stack.up({
      topology: testTopology('edge-cache', (t) => {
        t.api.instances = 2;
        t.api.distanceMs = DISTANCE;
      }),
    });
    entry = st.entryUrl!;
  }, 180_000);
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  it('an edge hit answers without the distance; what reaches the origin pays it, named in Server-Timing', async () => {
    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'mixed')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: 40, durationSeconds: 8 };
    const started = await lab.api.load.start({ workload: w });
    await lab.runDone();
    const { timeline } = await lab.api.runs.open({ id: started.id });
    const late = timeline.slice(2);
    const worst = (key: string) => Math.max(...late.map((p) => p.v[key] ?? 0));
    const values = (key: string) => late.map((p) => p.v[key]).filter((v): v is number => typeof v === 'number');
    const hits = values(seriesKey.latencyByCache('EDGE_HIT', 'p95'));
    const origin = values(FAMILY.timing.key('origin'));
    console.log(
      `far origin ${DISTANCE} ms: edge-hit p95 at most ${worst(seriesKey.latencyByCache('EDGE_HIT', 'p95')).toFixed(1)} ms, origin part ${Math.min(...origin).toFixed(1)}-${Math.max(...origin).toFixed(1)} ms`,
    );
    expect(hits.length).toBeGreaterThan(3);
    expect(Math.max(...hits)).toBeLessThan(DISTANCE / 2);
    // Every response from the origin waited the distance: the median request is at least that slow.
    expect(Math.min(...values(FAMILY.timing.key('origin')))).toBeGreaterThanOrEqual(DISTANCE - 1);
    expect(
      Math.min(...values(seriesKey.latencyByCache('MISS', 'p50')).concat(values('load.p50'))),
    ).toBeGreaterThanOrEqual(DISTANCE);
  }, 60_000);

  it('adds the security headers at the balancer when switched on, and none before', async () => {
    const headers = async (url: string) => (await fetch(`${url}/products/1`)).headers;
    expect((await headers(entry)).get('x-content-type-options')).toBeNull();
    const res = await lab.api.stack.apply({ set: { 'loadBalancer.securityHeaders': true } });
    expect(res.changes.map((c) => [c.field, c.kind])).toEqual([['loadBalancer.securityHeaders', 'restart']]);
    // The test's stacks take any free port: the restarted balancer may have another.
    const h = await headers(res.status.entryUrl!);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(h.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  }, 60_000);
});
