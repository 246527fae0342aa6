// Lab fidelity on the real stack: every claim the lab makes must show as a measured figure.
// The cache cuts database load; replicas lag and lag makes stale reads; read-your-writes removes them;
// thresholds decide the CLI's exit code.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Workload } from '../../contract/load.js';
import type { RunData } from '../../contract/runs.js';
import { EXIT } from '../../cli/exit-codes.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, TEST_SEED, testTopology } from '../testing/docker-env.js';
import type { Topology } from '../topology/schema.js';
import { choiceOf, predictionLine, type Prediction } from '../../contract/prediction.js';

const STACK = 't-lab';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-fidelity-'));

const workload = (w: Partial<Workload> & Pick<Workload, 'mix' | 'rate'>): Workload => ({
  name: 'fidelity',
  description: '',
  keys: { distribution: 'zipf', zipfExponent: 1.1, keySpace: 300 },
  thinkTimeMs: 0,
  slowMs: 50,
  thresholds: {},
  ...w,
});

const sum = (d: RunData, name: string, from = 0) =>
  d.timeline.slice(from).reduce((s, p) => s + (typeof p.v[name] === 'number' ? (p.v[name] as number) : 0), 0);

describeDocker('lab fidelity on the real stack', () => {
  let lab: Lab;
  let topology: Topology;
  const apply = async (patch: (t: Topology) => void) => {
    topology = structuredClone(topology);
    patch(topology);
    await lab.api.stack.apply({ topology });
  };
  const run = async (w: Workload, prediction?: Prediction): Promise<RunData> => {
    const started = await lab.api.load.start({ workload: w, ...(prediction ? { prediction } : {}) });
    await lab.runDone();
    return lab.api.runs.open({ id: started.id });
  };

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    topology = testTopology('read-replicas', (t) => {
      t.api.instances = 2;
      t.edgeCache.enabled = false;
    });
    await lab.api.stack.up({ topology });
  });
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  it('with the cache on, database queries per request fall by at least 70% and the hit ratio reaches 0.7', async () => {
    const reads = workload({
      mix: { 'cheap-read': 85, list: 15 },
      rate: { kind: 'constant', rate: 100, durationSeconds: 11 },
    });
    await apply((t) => {
      t.cache.enabled = false;
    });
    const off = await run(reads);
    await apply((t) => {
      t.cache.enabled = true;
      t.cache.ttlSeconds = 300;
    });
    const on = await run(reads);

    expect(off.run.summary!.failed).toBe(0);
    expect(on.run.summary!.failed).toBe(0);
    const perRequest = (d: RunData, from: number) => sum(d, 'db.queries', from) / sum(d, 'load.rps', from);
    const qOff = perRequest(off, 2);
    const qOn = perRequest(on, 5); // once the hot keys are in
    expect(qOff).toBeGreaterThan(0.9);
    expect(qOn).toBeLessThanOrEqual(qOff * 0.3);
    const lastHits = on.timeline
      .slice(-5)
      .map((p) => p.v['redis.hit_ratio'])
      .filter((x): x is number => typeof x === 'number');
    expect(Math.max(...lastHits)).toBeGreaterThanOrEqual(0.7);
    expect(on.run.summary!.hitRatio).toBeGreaterThan(off.run.summary!.hitRatio ?? 0);
    // The comparison table says the same.
    const cmp = await lab.api.runs.compare({ a: off.run.id, b: on.run.id });
    expect(cmp.deltas.find((d) => d.figure === 'database queries per request')!.change!).toBeLessThan(-0.5);
  });

  // Is the difference real? The expensive read (about 7 ms at the median from PostgreSQL here,
  // about one from Redis): two runs without the cache differ little; with the cache the median is
  // lower, by more. Its p95 is printed, not asserted: at 40 requests a second each
  // second's p95 is its second-slowest request, and on a busy machine the cache's gain there came
  // out -32.4 ms [-54.5, -10.3], -15.0 [-20.5, -9.4] and -8.9 [-18.3, +0.5] in three CI runs.
  it('compares runs with a confidence interval: the cache lowers the median more than two runs of one configuration differ', async () => {
    const top = workload({
      mix: { 'expensive-read': 100 },
      keys: { distribution: 'uniform', zipfExponent: 1, keySpace: 20 },
      rate: { kind: 'constant', rate: 40, durationSeconds: 16 },
    });
    await apply((t) => {
      t.cache.enabled = false;
    });
    // Warms PostgreSQL's buffers and the API's compiled code: the runs compared are both steady.
    // 12 s left the first compared run slower in its tail (p95 and p99 lower in the second, twice
    // on this machine): 24 s.
    await run({ ...top, rate: { kind: 'constant', rate: 40, durationSeconds: 24 } });
    const first = await run(top);
    const second = await run(top);
    await apply((t) => {
      t.cache.enabled = true;
      t.cache.ttlSeconds = 300;
    });
    // The room predicted it, against the run before: the run's end judges the choice.
    const cached = await run(top, { versus: 'p50', choice: 'lower', against: 'last' });
    const same = await lab.api.runs.compare({ a: first.run.id, b: second.run.id });
    const cache = await lab.api.runs.compare({ a: first.run.id, b: cached.run.id });
    if ('unavailable' in same.significance || 'unavailable' in cache.significance) throw new Error('runs too short');
    const line = (d: { metric: string; diff: number; low: number; high: number; verdict: string }) =>
      `${d.metric} ${d.diff.toFixed(2)} [${d.low.toFixed(2)}, ${d.high.toFixed(2)}] ${d.verdict}`;
    console.log(`same configuration: ${same.significance.differences.map(line).join('; ')}`);
    console.log(`cache off → on: ${cache.significance.differences.map(line).join('; ')}`);
    // Each figure's interval is 95% on its own, from the seconds of each run: it does not hold the
    // drift from one run to the next on a shared machine. Two runs of one configuration came out
    // the same but for p50 +0.81 ms [+0.08, +1.54] in one CI run, and p50 +1.20, p95 +2.49 and p99
    // +14.3 ms (all "higher in B") in another, the cache's gain in the median -3.46 ms beside it. So
    // the same configuration may differ a little; the cache's gain in the median must exceed it.
    const differs = same.significance.differences.filter((d) => d.verdict !== 'no measurable difference');
    expect(differs.map((d) => d.metric)).not.toContain('throughput');
    const p50 = cache.significance.differences.find((d) => d.metric === 'p50')!;
    expect(p50.verdict).toBe('lower in B');
    expect(p50.high).toBeLessThan(0);
    const sameP50 = same.significance.differences.find((d) => d.metric === 'p50')!;
    expect(Math.abs(sameP50.diff), differs.map(line).join('; ')).toBeLessThan(Math.abs(p50.diff));
    // The prediction, made against "the run before", is judged against that run (the second): by
    // the same interval a comparison of the two gives, and said right or wrong by it. Against the
    // second alone the cache's gain may not clear the noise of a busy machine (a CI run: p95 -7.6 ms,
    // 95% interval -39.3 to +24.1, "about the same": wrong), so the words follow the measurement.
    expect(cached.run.prediction).toEqual({ versus: 'p50', choice: 'lower', against: second.run.id });
    const versus = cached.run.summary!.versus!;
    if ('unavailable' in versus) throw new Error(`no verdict: ${versus.unavailable}`);
    const vsSecond = await lab.api.runs.compare({ a: second.run.id, b: cached.run.id });
    if ('unavailable' in vsSecond.significance) throw new Error('runs too short');
    expect(versus.diff).toBeCloseTo(vsSecond.significance.differences.find((d) => d.metric === 'p50')!.diff, 6);
    const got = choiceOf(versus);
    const words = { lower: 'lower', same: 'about the same', higher: 'higher' }[got];
    expect(predictionLine(cached.run.prediction!, cached.run.summary)).toMatch(
      new RegExp(
        `^predicted p50 lower than run ${second.run.id}; measured ${words} \\(.*\\): ${got === 'lower' ? 'right' : 'wrong'}$`,
      ),
    );
  }, 120_000);

  it('with a replica apply delay of 500 ms, lag shows at least 0.4 s and stale reads appear; with read-your-writes they do not', async () => {
    const writes = workload({
      mix: { write: 30, 'read-own-write': 70 },
      rate: { kind: 'constant', rate: 20, durationSeconds: 8 },
    });
    await apply((t) => {
      t.cache.enabled = false;
      t.database.replicaApplyDelayMs = 500;
      t.database.readYourWrites = false;
    });
    const lagging = await run(writes);
    expect(lagging.run.summary!.maxLagSeconds!).toBeGreaterThanOrEqual(0.4);
    expect(lagging.run.summary!.staleReads).toBeGreaterThan(0);
    expect(sum(lagging, 'load.stale')).toBeGreaterThan(0);
    expect(lagging.events.map((e) => e.kind)).toEqual([]);

    await apply((t) => {
      t.database.readYourWrites = true;
    });
    const ryw = await run(writes);
    expect(ryw.run.summary!.staleReads).toBe(0);
    expect(sum(ryw, 'load.db.primary')).toBeGreaterThan(0);
    expect(ryw.run.summary!.requests).toBeGreaterThan(100);
  });

  it('measures a known server-side delay at its value, and a one-second stall of an instance in p99', async () => {
    const { BuiltinEngine } = await import('../load/builtin-engine.js');
    const { stallApi } = await import('../runtime/api-admin.js');
    const { parseWorkload } = await import('../load/workload-schema.js');
    const st = await lab.api.stack.status();
    const calibrate = parseWorkload({
      name: 'calibrate',
      mix: { slow: 1 },
      slowMs: 50,
      rate: { kind: 'constant', rate: 40, durationSeconds: 6 },
    });
    const steady = await new BuiltinEngine().run({
      workload: calibrate,
      target: { baseUrl: st.entryUrl! },
      onWindow: () => undefined,
    });
    expect(steady.totals.failed).toBe(0);
    expect(steady.latency!.p50).toBeGreaterThanOrEqual(50);
    expect(steady.latency!.p50).toBeLessThan(50 + 25);
    expect(steady.latency!.p95).toBeLessThan(50 + 60);

    // Every instance stalls for a second, as in a stop-the-world pause; an open model keeps
    // sending, so every request scheduled in that second waits, and p99 shows it.
    const { adminToken } = await lab.runtime.stackSecrets(STACK);
    const apis = st.services.filter((s) => s.role === 'api');
    setTimeout(() => {
      for (const a of apis) void stallApi(`http://${a.ports.api}`, adminToken, 1000);
    }, 2000);
    const stalled = await new BuiltinEngine().run({
      workload: calibrate,
      target: { baseUrl: st.entryUrl! },
      onWindow: () => undefined,
    });
    expect(stalled.latency!.p99).toBeGreaterThan(600);
    expect(stalled.latency!.max).toBeGreaterThan(900);
    expect(stalled.latency!.p50).toBeLessThan(50 + 25);
  });

  it('records switches made during a run on its timeline', async () => {
    await apply((t) => {
      t.cache.enabled = true;
    });
    const started = await lab.api.load.start({
      workload: workload({ mix: { 'cheap-read': 1 }, rate: { kind: 'constant', rate: 30, durationSeconds: 5 } }),
    });
    await new Promise((r) => setTimeout(r, 1500));
    await apply((t) => {
      t.cache.strategy = 'write-through';
    });
    await lab.api.load.setRate({ rate: 50 });
    await lab.runDone();
    const d = await lab.api.runs.open({ id: started.id });
    expect(d.events.map((e) => e.kind)).toEqual(['switch', 'rate']);
    expect(d.events[0].label).toMatch(/cache\.strategy/);
  });

  it('exits non-zero when a threshold fails and zero when all pass', async () => {
    const bin = path.resolve(import.meta.dirname, '../../../bin/scalelab.mjs');
    const cli = async (file: string) => {
      try {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [bin, '--stack', STACK, 'run', '--workload', file, '--json'],
          { env: { ...process.env, SCALELAB_HOME: home }, timeout: 60_000 },
        );
        return { code: 0, stdout };
      } catch (err) {
        const e = err as { code: number; stdout: string };
        return { code: e.code, stdout: e.stdout };
      }
    };
    const write = (name: string, thresholds: Record<string, string[]>) => {
      const file = path.join(home, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify(
          workload({
            name,
            mix: { 'cheap-read': 1 },
            rate: { kind: 'constant', rate: 20, durationSeconds: 3 },
            thresholds,
          }),
        ),
      );
      return file;
    };
    const pass = await cli(write('must-pass', { http_req_duration: ['p(95)<60000'], http_req_failed: ['rate<0.5'] }));
    expect(pass.code).toBe(EXIT.ok);
    const doc = JSON.parse(pass.stdout);
    expect(doc.status).toBe('passed');
    expect(doc.folder).toContain(doc.id);
    const fail = await cli(write('must-fail', { http_req_duration: ['p(95)<0.001'] }));
    expect(fail.code).toBe(EXIT.thresholdsFailed);
    expect(JSON.parse(fail.stdout).summary.thresholds[0]).toMatchObject({ passed: false, expression: 'p(95)<0.001' });
  });
});
