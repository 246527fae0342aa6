import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSteps, planDeploy } from './deploy-request.js';
import { fullWeights, parseServersState, splitWeights, weightCommands } from './traffic-split.js';
import { judge, quantile, readInstance, versionFigures } from './version-figures.js';

const testdata = (name: string) => readFileSync(path.join(import.meta.dirname, 'testdata', name), 'utf8');

describe('a deploy request', () => {
  it('fills a canary with the default steps and bounds', () => {
    const p = planDeploy({ version: 'v2', strategy: 'canary' });
    expect(p).toMatchObject({ steps: [5, 25, 50, 100], stepSeconds: 10, maxP95Ratio: 1.5, maxErrorRateIncrease: 0.01 });
    expect(planDeploy({ version: 'v2', strategy: 'blue-green' }).steps).toEqual([100]);
    expect(planDeploy({ version: 'v2' }).strategy).toBe('rolling');
  });

  it('refuses steps that do not end at 100, do not rise, or belong to no canary', () => {
    expect(() => planDeploy({ version: 'v2', strategy: 'canary', steps: [5, 25, 50] })).toThrow(/do not end at 100/);
    expect(() => planDeploy({ version: 'v2', strategy: 'canary', steps: [50, 25, 100] })).toThrow(/do not rise/);
    expect(() => planDeploy({ version: 'v2', strategy: 'blue-green', steps: [100] })).toThrow(
      /--steps is for a canary/,
    );
    expect(() => planDeploy({ version: 'v2', strategy: 'canary', steps: [0, 100] })).toThrow(/steps/);
  });

  it('refuses a bad version name or strategy', () => {
    expect(() => planDeploy({ version: 'latest' })).toThrow(/version/);
    expect(() => planDeploy({ version: 'v2', strategy: 'big-bang' as 'canary' })).toThrow(/strategy/);
  });

  it('reads --steps', () => {
    expect(parseSteps('5, 25,50,100')).toEqual([5, 25, 50, 100]);
    expect(() => parseSteps('5,x')).toThrow(/not a list of percentages/);
    expect(() => parseSteps('')).toThrow(/not a list/);
  });
});

describe('the traffic split at the balancer', () => {
  // Recorded from HAProxy 2.6 (`show servers state api`) with three instances up, 16 slots.
  const slots = parseServersState(testdata('servers-state.txt'));

  it('reads each slot, its address, state and weight', () => {
    expect(slots).toHaveLength(16);
    expect(slots[0]).toEqual({ slot: 'api1', address: '172.19.0.3', up: true, weight: 100 });
    expect(slots.filter((s) => s.up)).toHaveLength(3);
    expect(slots[5]).toMatchObject({ address: null, up: false });
    expect(() => parseServersState('No such backend.')).toThrow(/not a "show servers state" answer/);
  });

  const withNew = slots.map((s, i) => (i >= 3 && i < 6 ? { ...s, address: `172.19.0.${i + 7}`, up: true } : s));
  const olds = ['172.19.0.3', '172.19.0.4', '172.19.0.5'];
  const news = ['172.19.0.10', '172.19.0.11', '172.19.0.12'];

  it("gives the new set its share with both sets weighted in HAProxy's range, and nothing to empty slots", () => {
    for (const percent of [5, 25, 50]) {
      const { weights, share } = splitWeights(withNew, olds, news, percent);
      expect(Math.abs(share - percent)).toBeLessThan(0.6);
      expect(Math.max(...Object.values(weights))).toBeLessThanOrEqual(256);
      expect(weights.api7).toBe(0);
    }
    expect(splitWeights(withNew, olds, news, 100).weights).toMatchObject({ api1: 0, api4: 100, api9: 0 });
    expect(splitWeights(withNew, olds, news, 0)).toMatchObject({ share: 0, weights: { api1: 100, api4: 0 } });
  });

  it('keeps the share with sets of different sizes', () => {
    const { share } = splitWeights(withNew, olds.slice(0, 1), news, 25);
    expect(Math.abs(share - 25)).toBeLessThan(0.6);
  });

  it('writes one command line, and every slot back to full', () => {
    expect(weightCommands('api', { api1: 13, api2: 0 })).toBe('set weight api/api1 13; set weight api/api2 0');
    expect(Object.values(fullWeights(slots)).every((w) => w === 100)).toBe(true);
  });
});

describe("a version's figures and the canary's judgement", () => {
  // A real instance's /metrics (prom-client), after a read-heavy run.
  const text = testdata('api-metrics.txt');

  it("reads an instance's requests, 5xx and summed buckets", () => {
    const r = readInstance(text);
    expect(r.requests).toBe(5797 + 1064 + 329);
    expect(r.errors).toBe(0);
    expect(r.buckets.get(Infinity)).toBe(r.requests);
  });

  it('computes the quantile as histogram_quantile does', () => {
    const b = new Map([
      [0.01, 50],
      [0.1, 100],
      [Infinity, 100],
    ]);
    expect(quantile(0.5, b)).toBeCloseTo(0.01);
    expect(quantile(0.95, b)).toBeCloseTo(0.01 + 0.09 * 0.9);
    expect(
      quantile(
        0.95,
        new Map([
          [0.1, 0],
          [Infinity, 10],
        ]),
      ),
    ).toBe(0.1);
    expect(quantile(0.95, new Map())).toBeNull();
  });

  it('counts only what happened in the window, a restarted instance from zero', () => {
    const end = readInstance(text);
    const start = {
      requests: 190,
      errors: 0,
      buckets: new Map([...end.buckets].map(([le, n]) => [le, Math.min(n, 190)])),
    };
    const f = versionFigures('v1', new Map([['api-1', start]]), new Map([['api-1', end]]));
    expect(f.requests).toBe(end.requests - 190);
    const restarted = versionFigures(
      'v1',
      new Map([['api-1', { ...end, requests: end.requests + 1 }]]),
      new Map([['api-1', end]]),
    );
    expect(restarted.requests).toBe(end.requests);
  });

  const figures = (version: string, requests: number, errorRate: number, p95Ms: number) => ({
    version,
    requests,
    errorRate,
    p95Ms,
  });
  const bounds = { maxP95Ratio: 1.5, minP95IncreaseMs: 20, maxErrorRateIncrease: 0.01 };

  it('passes a canary like the baseline, and one slower by less than the bounds', () => {
    expect(judge(figures('v1', 500, 0, 40), figures('v2', 60, 0, 45), bounds).verdict).toBe('pass');
    // ×2 but only +8 ms: the buckets are coarse down there.
    expect(judge(figures('v1', 500, 0, 8), figures('v2', 60, 0, 16), bounds).verdict).toBe('pass');
  });

  it('finds it worse on latency or errors, saying by how much', () => {
    const slow = judge(figures('v1', 500, 0, 40), figures('v2', 60, 0, 160), bounds);
    expect(slow).toMatchObject({ verdict: 'worse' });
    expect(slow.reason).toMatch(/v2's p95 160.0 ms against v1's 40.0 ms/);
    const failing = judge(figures('v1', 500, 0.002, 40), figures('v2', 60, 0.2, 40), bounds);
    expect(failing.reason).toMatch(/v2 failed 20.0% of requests, v1 0.2%/);
  });

  it('does not judge a handful of requests', () => {
    expect(judge(figures('v1', 500, 0, 40), figures('v2', 12, 0.5, 400), bounds).verdict).toBe('too-little-traffic');
  });
});
