// Balancing algorithms on a real engine, with one slow instance: three API instances behind
// HAProxy, api-2 given a tenth of its CPU (`scalelab fault slow api-2`: docker update --cpus).
// Round robin keeps sending it a third of the requests, which queue there; least connections
// sends each request to the instance with the fewest open, so the slow one gets what it can
// finish. Both measured in one test, the same workload, one after the other; HAProxy's own
// per-server sessions and response times say where the time went. Then, on the same stack, a
// rolling deploy to v2 under load: every instance drained and replaced in turn, no request failed.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunData } from '../../contract/runs.js';
import { FAMILY, seriesKey } from '../../contract/series.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, sleep, TEST_SEED, testTopology } from '../testing/docker-env.js';
import type { DockerRuntime } from './docker-runtime.js';
import { containerName } from './names.js';

const STACK = 't-balancing';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-balancing-'));
const RATE = 300;
const SECONDS = 13;

describeDocker('balancing with one slow instance', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({ topology: testTopology('load-balanced') });
  }, 180_000);
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  /** read-heavy at RATE for SECONDS, product ids within the test's seed. */
  async function measure(): Promise<RunData> {
    const workloads = await lab.api.load.workloads();
    const w = structuredClone(workloads.find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: RATE, durationSeconds: SECONDS };
    const started = await lab.api.load.start({ workload: w });
    await lab.runDone();
    return lab.api.runs.open({ id: started.id });
  }
  /** Share of the responses api-2 served, and its mean HAProxy response time, over the run's last 10 s. */
  const slowShare = (d: RunData) => {
    const late = d.timeline.slice(-10);
    const sum = (k: string) => late.reduce((s, p) => s + (p.v[k] ?? 0), 0);
    const all = ['api-1', 'api-2', 'api-3'].reduce((s, i) => s + sum(FAMILY.instance.key(i)), 0);
    return sum(FAMILY.instance.key('api-2')) / Math.max(1, all);
  };

  it("slow api-2: least connections' p99 below round robin's, and it sends api-2 no more than round robin", async () => {
    await lab.api.stack.fault({ service: 'api-2', kind: 'slow' });
    const cpus = async () =>
      (await (lab.runtime as DockerRuntime).docker.getContainer(containerName(STACK, 'api-2')).inspect()).HostConfig
        .NanoCpus;
    expect(await cpus()).toBe(0.1e9);

    const rr = await measure();
    await lab.api.stack.apply({ set: { 'loadBalancer.algorithm': 'leastconn' } });
    const lc = await measure();

    const p99 = (d: RunData) => d.run.summary!.latency!.p99;
    console.log(
      `one slow instance at ${RATE}/s: round robin p99 ${p99(rr).toFixed(1)} ms (api-2 served ${(100 * slowShare(rr)).toFixed(0)}%), least connections p99 ${p99(lc).toFixed(1)} ms (api-2 served ${(100 * slowShare(lc)).toFixed(0)}%)`,
    );
    expect(p99(lc)).toBeLessThan(p99(rr));
    // Round robin gives api-2 about its third regardless of its speed (31% here; 17-20% on a busy
    // CI runner, where HAProxy's retries on a response timeout moved some of its share away). What
    // least connections sends it varies more than the gap: 26% here against round robin's 31%, 18%
    // against 17% in a CI run (p99 3,850 against 266 ms there). So the p99 is the claim, and least
    // connections is held to no more than round robin's share (5 points of noise allowed).
    expect(slowShare(rr)).toBeGreaterThan(0.15);
    expect(slowShare(lc)).toBeLessThan(slowShare(rr) + 0.05);
    // HAProxy's view, by container: api-2's mean response time above the others' under round robin,
    // at its highest over the run: a CI run read 0 for api-2 over the last five seconds alone (an
    // empty rtime in HAProxy's stats; its cause not known).
    const rtime = (d: RunData, s: string) =>
      Math.max(...d.timeline.map((p) => p.v[seriesKey.balancer(s, 'rtime')] ?? 0));
    expect(rtime(rr, 'api-2')).toBeGreaterThan(rtime(rr, 'api-1'));
    expect(rr.timeline.some((p) => typeof p.v[seriesKey.balancer('api-2', 'sessions')] === 'number')).toBe(true);

    // Given back, the limit is whole again.
    await lab.api.stack.fault({ service: 'api-2', kind: 'unslow' });
    expect(await cpus()).toBe(1e9);
  }, 120_000);

  it('refuses to slow what has no CPU limit of its own in the topology', async () => {
    await expect(lab.api.stack.fault({ service: 'lb', kind: 'slow' })).rejects.toThrow(
      /slow applies to an API instance or a database node, not to lb/,
    );
  });

  it('rolls the instances to v2 under load with no request failed; a version never built is refused first', async () => {
    await expect(lab.api.stack.apply({ set: { 'api.version': 'v9' } })).rejects.toThrow(/v9 was never built/);
    expect((await lab.api.stack.status()).topology?.api.version).toBe('v1');
    const built = await lab.api.stack.buildVersion({ name: 'v2' });
    expect(built).toMatchObject({ name: 'v2', current: true, latencyMs: 0, errorRate: 0 });
    expect((await lab.api.stack.versions()).map((v) => v.name)).toEqual(expect.arrayContaining(['v1', 'v2']));

    const workloads = await lab.api.load.workloads();
    const w = structuredClone(workloads.find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: 100, durationSeconds: 24 };
    const started = await lab.api.load.start({ workload: w });
    await sleep(3000);
    const deployStart = Date.now();
    await lab.api.stack.apply({ set: { 'api.version': 'v2' } });
    const deployMs = Date.now() - deployStart;
    await lab.runDone();
    const data = await lab.api.runs.open({ id: started.id });
    const served = (v: string) => data.timeline.reduce((n, p) => n + (p.v[FAMILY.versionCount.key(v)] ?? 0), 0);
    console.log(
      `rolling deploy of 3 instances under 100/s: ${(deployMs / 1000).toFixed(1)} s, ${data.run.summary!.failed} of ${data.run.summary!.requests} failed; v1 served ${served('v1')}, v2 ${served('v2')}`,
    );
    expect(data.run.summary!.failed).toBe(0);
    expect(served('v1')).toBeGreaterThan(0);
    expect(served('v2')).toBeGreaterThan(0);
    // The last seconds are all v2's, and the status says so instance by instance.
    expect(data.timeline.at(-2)!.v[FAMILY.versionCount.key('v1')] ?? 0).toBe(0);
    const apis = (await lab.api.stack.status()).services.filter((s) => s.role === 'api');
    expect(apis.map((s) => s.version)).toEqual(['v2', 'v2', 'v2']);
    expect(data.events.some((e) => e.kind === 'switch' && e.label === 'api.version: "v1" → "v2"')).toBe(true);
  }, 120_000);
});
