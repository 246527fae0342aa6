// The k6 adapter's process handling, with the recorded stdout of a real k6 run replayed by
// app/core/testing/replay-k6.mjs (k6 itself cannot be installed on this machine).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadWindow } from '../../contract/load.js';
import { resolveConfig } from '../config.js';
import { chooseEngine } from './choose-engine.js';
import { K6Engine, thresholdsFromSummaryExport } from './k6-engine.js';
import { locateK6 } from './k6-locator.js';
import { parseWorkload } from './workload-schema.js';
import { K6_FIXTURES } from '../testing/k6-fixtures.js';

const replay = path.resolve(import.meta.dirname, '../testing/replay-k6.mjs');
const fixtures = K6_FIXTURES;
const workload = parseWorkload({
  name: 'w',
  mix: { 'cheap-read': 1 },
  rate: { kind: 'constant', rate: 10, durationSeconds: 30 },
  thresholds: { http_req_failed: ['rate<0.5'] },
});
const engine = (generators = 1) =>
  new K6Engine({
    location: { kind: 'binary', path: replay, version: '1.3.0' },
    script: path.join(resolveConfig().loadScriptsDir, 'k6', 'workload.js'),
    isWorkloadScript: true,
    generators,
  });

afterEach(() => {
  delete process.env.REPLAY_EXIT;
  delete process.env.REPLAY_STDERR;
  delete process.env.REPLAY_MS;
  delete process.env.SCALELAB_K6;
  delete process.env.REPLAY_SEGMENT_EXIT;
});

describe('k6 engine', () => {
  it('is found through SCALELAB_K6, with its version', async () => {
    process.env.SCALELAB_K6 = replay;
    expect(await locateK6()).toEqual({ kind: 'binary', path: replay, version: '1.3.0' });
  });

  it("reads k6's streamed output into one-second windows and takes k6's own threshold verdicts", async () => {
    const windows: LoadWindow[] = [];
    const res = await engine().run({
      workload,
      target: { baseUrl: 'http://127.0.0.1:9' },
      onWindow: (w) => windows.push(w),
    });
    const summary = JSON.parse(readFileSync(path.join(fixtures, 'summary-export.json'), 'utf8')).metrics;
    expect(res.engine).toBe('k6');
    expect(res.totals.completed).toBe(summary.http_reqs.count);
    expect(res.totals.failed).toBe(summary.http_req_failed.passes);
    expect(windows.reduce((s, w) => s + w.completed, 0)).toBe(summary.http_reqs.count);
    expect(res.thresholds).toContainEqual({
      metric: 'http_req_failed',
      expression: 'rate<0.5',
      passed: true,
      actual: summary.http_req_failed.value,
    });
    expect(res.thresholds.map((t) => t.metric).sort()).toEqual([
      'cache_hits',
      'http_req_duration{kind:read}',
      'http_req_failed',
    ]);
  });

  it('turns a k6 that fails into a clear error carrying its exit code and stderr', async () => {
    process.env.REPLAY_EXIT = '107';
    process.env.REPLAY_STDERR = 'replayed stderr line';
    await expect(
      engine().run({ workload, target: { baseUrl: 'http://127.0.0.1:9' }, onWindow: () => undefined }),
    ).rejects.toThrow(/k6 exited with code 107 \(a script error\): replayed stderr line/);
  });

  it('stops k6 through its REST API and keeps what was measured', async () => {
    process.env.REPLAY_MS = '4000';
    const e = engine();
    setTimeout(() => e.stop(), 800);
    const res = await e.run({ workload, target: { baseUrl: 'http://127.0.0.1:9' }, onWindow: () => undefined });
    expect(res.stoppedEarly).toBe(true);
    expect(res.totals.completed).toBeGreaterThan(0);
    expect(res.totals.completed).toBeLessThan(208);
    expect(res.thresholds).toEqual([expect.objectContaining({ metric: 'http_req_failed', expression: 'rate<0.5' })]);
  });

  it('refuses a live rate change, saying what to use instead', () => {
    expect(() => engine().setRate()).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/built-in engine/) }),
    );
  });

  it('reads --summary-export thresholds (true there means failed)', () => {
    expect(
      thresholdsFromSummaryExport('{"metrics":{"http_req_duration":{"p(95)":812,"thresholds":{"p(95)<500":true}}}}'),
    ).toEqual([{ metric: 'http_req_duration', expression: 'p(95)<500', passed: false, actual: 812 }]);
  });

  describe('split over three generators by execution segments', () => {
    it('merges their streams into the same windows, adding up to the whole test, each generator counted', async () => {
      const windows: LoadWindow[] = [];
      const res = await engine(3).run({
        workload,
        target: { baseUrl: 'http://127.0.0.1:9' },
        onWindow: (w) => windows.push(w),
      });
      const summary = JSON.parse(readFileSync(path.join(fixtures, 'summary-export.json'), 'utf8')).metrics;
      // The three segments together are the recorded test: every request once.
      expect(res.totals.completed).toBe(summary.http_reqs.count);
      expect(res.totals.failed).toBe(summary.http_req_failed.passes);
      expect(res.generators?.map((g) => [g.name, g.segment, g.exitCode])).toEqual([
        ['k6-1', '0:1/3', 0],
        ['k6-2', '1/3:2/3', 0],
        ['k6-3', '2/3:1', 0],
      ]);
      const share = summary.http_reqs.count / 3;
      for (const g of res.generators!) expect(Math.abs(g.requests - share)).toBeLessThanOrEqual(1);
      // Each second says which generator measured what, and the parts add up to the second.
      for (const w of windows) {
        const parts = Object.values(w.byGenerator ?? {}).reduce((a, g) => a + g.completed, 0);
        expect(parts).toBe(w.completed);
      }
      const byGen = (name: string) => windows.reduce((a, w) => a + (w.byGenerator?.[name]?.completed ?? 0), 0);
      expect(res.generators!.map((g) => byGen(g.name))).toEqual(res.generators!.map((g) => g.requests));
      // Each k6 judged only its segment: the workload's thresholds are judged again on the merged figures.
      expect(res.thresholds).toEqual([
        {
          metric: 'http_req_failed',
          expression: 'rate<0.5',
          passed: true,
          actual: summary.http_req_failed.passes / summary.http_reqs.count,
        },
      ]);
    });

    it('stops every generator when one fails, and names it with its exit code and stderr', async () => {
      process.env.REPLAY_SEGMENT_EXIT = '1/3:2/3=107';
      process.env.REPLAY_MS = '8000';
      const started = Date.now();
      await expect(
        engine(3).run({ workload, target: { baseUrl: 'http://127.0.0.1:9' }, onWindow: () => undefined }),
      ).rejects.toThrow(
        /k6 generator k6-2 exited with code 107 \(a script error\): replayed failure of segment 1\/3:2\/3/,
      );
      // The other two were stopped, not left to replay their 8 s.
      expect(Date.now() - started).toBeLessThan(6000);
    });

    it('is refused for the built-in engine, and where no k6 runs, saying what to do', async () => {
      const status = { stack: 's', running: true, services: [], entryUrl: 'http://127.0.0.1:9' } as never;
      await expect(chooseEngine('builtin', undefined, '/x', status, undefined, null, 3)).rejects.toMatchObject({
        code: 'BAD_INPUT',
        hint: 'Choose the k6 engine, or run one generator.',
      });
      process.env.SCALELAB_K6 = '/nonexistent/k6';
      await expect(chooseEngine('k6', undefined, '/x', status, undefined, null, 3)).rejects.toMatchObject({
        code: 'K6_MISSING',
        message: expect.stringMatching(/^3 generators need k6/),
      });
    });

    it('on a Swarm, runs the grafana/k6 image as a service over the nodes', async () => {
      const status = { stack: 's', running: true, services: [], entryUrl: 'http://127.0.0.1:9' } as never;
      const docker = { listImages: async () => [{ RepoTags: ['grafana/k6:1.3.0'] }] } as never;
      process.env.SCALELAB_K6 = '/nonexistent/k6';
      const swarm = { stack: 's', starterImage: 'base', shareImage: async (i: string) => i };
      const chosen = await chooseEngine('k6', undefined, '/x', status, docker, null, 3, swarm);
      expect(chosen.engineNote).toBe(
        "k6 from grafana/k6:1.3.0 on the stack's network, as a Swarm service over the nodes, 3 generators (execution segments)",
      );
      const local = await chooseEngine('k6', undefined, '/x', status, docker, null, 3, null);
      expect(local.engineNote).toBe(
        "k6 from grafana/k6:1.3.0 on the stack's network, 3 generators (execution segments)",
      );
    });

    it('stops all of them on stop(), keeping what was measured', async () => {
      process.env.REPLAY_MS = '4000';
      const e = engine(3);
      setTimeout(() => e.stop(), 1200);
      const res = await e.run({ workload, target: { baseUrl: 'http://127.0.0.1:9' }, onWindow: () => undefined });
      expect(res.stoppedEarly).toBe(true);
      expect(res.generators?.map((g) => g.exitCode)).toEqual([105, 105, 105]);
      expect(res.totals.completed).toBeGreaterThan(0);
      expect(res.totals.completed).toBeLessThan(208);
    });
  });
});
