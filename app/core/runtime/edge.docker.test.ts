// The edge on a real engine: the origin made far (api.distanceMs: every response the API gives
// waits 80 ms, as a round trip to far users would cost), with product reads and static files
// (asked through the nginx edge). An edge hit never reaches the origin and pays nothing; a
// miss and every dynamic request pay the distance, named in Server-Timing. And the security
// headers HAProxy adds when switched on, and TLS terminated there: a handshake's cost measured.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
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
    // A third static files (through the edge), the rest product reads (to the origin).
    w.mix = { 'cheap-read': 70, static: 30 };
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
    // The typical edge hit (each second's median, then their median) is far under the distance.
    const hitP50 = values(seriesKey.latencyByCache('EDGE_HIT', 'p50')).sort((a, b) => a - b);
    expect(hits.length).toBeGreaterThan(3);
    expect(hitP50[Math.floor(hitP50.length / 2)]).toBeLessThan(DISTANCE / 8);
    // Every response from the origin waited the distance: each second's product reads (which all
    // reach it; no Redis here) have a median of at least that. (The whole second's median may be
    // an edge hit's, in a second where static files were half the requests.)
    expect(Math.min(...values(FAMILY.timing.key('origin')))).toBeGreaterThanOrEqual(DISTANCE - 1);
    const fromOrigin = values(seriesKey.latencyByCache('BYPASS', 'p50'));
    expect(fromOrigin.length).toBeGreaterThan(3);
    expect(Math.min(...fromOrigin)).toBeGreaterThanOrEqual(DISTANCE);
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

  it('terminates TLS at the balancer with a certificate only it made, and measures what a handshake costs', async () => {
    const res = await lab.api.stack.apply({ set: { 'loadBalancer.tls': true } });
    const tlsUrl = res.status.tlsUrl!;
    expect(tlsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // Not trusted by default: it is the balancer's own certificate, not a public one.
    await expect(fetch(`${tlsUrl}/healthz`)).rejects.toThrow();
    const ca = await lab.runtime.tlsCertificate(STACK);
    const agent = new Agent({ connect: { ca } });
    const ok = await undiciFetch(`${tlsUrl}/products/1`, { dispatcher: agent });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    await agent.close();

    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.mix = { 'cheap-read': 1 };
    w.rate = { kind: 'constant', rate: 30, durationSeconds: 5 };
    await lab.api.stack.apply({ set: { 'api.distanceMs': 0 } });
    const p50 = async (over: Partial<typeof w>) => {
      const started = await lab.api.load.start({ workload: { ...w, ...over } });
      expect(started.target.entryUrl).toBe(over.tls ? tlsUrl : res.status.entryUrl);
      await lab.runDone();
      const run = (await lab.api.runs.open({ id: started.id })).run;
      expect(run.summary!.errorRate).toBe(0);
      return run.summary!.latency!.p50;
    };
    const plain = await p50({ keepAlive: false });
    const reused = await p50({ tls: true });
    const handshakes = await p50({ tls: true, keepAlive: false });
    console.log(
      `p50 of a product read: http, new connection each ${plain.toFixed(2)} ms; https kept alive ${reused.toFixed(2)} ms; https, a handshake each ${handshakes.toFixed(2)} ms`,
    );
    expect(handshakes).toBeGreaterThan(reused);
    expect(handshakes).toBeGreaterThan(plain);
  }, 90_000);
});
