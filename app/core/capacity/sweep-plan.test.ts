// The sweep's decisions on made-up stacks: up by the factor until a step breaks, then halving the
// gap; the knee is the highest rate that held; a generator that falls behind ends the sweep and
// is named as the limit; objectives that are not latency bounds are refused.
import { describe, expect, it } from 'vitest';
import type { SweepStep } from '../../contract/capacity.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';
import { drained, judgeStep, knee, nextRate, parseObjective, type SweepPlan } from './sweep-plan.js';

const plan: SweepPlan = { from: 50, factor: 1.5, refine: 2, maxSteps: 12 };
const objective = parseObjective('p(95)<200');

/** A step's seconds on a stack that holds p95 at 20 ms below `capacity` requests/s, 900 above. */
function seconds(rate: number, capacity: number, o: { saturated?: boolean; failed?: number } = {}): TimelinePoint[] {
  return Array.from({ length: 8 }, (_, i) => ({
    t: i * 1000,
    v: {
      [SERIES.rps]: Math.min(rate, capacity),
      [SERIES.sent]: rate,
      [SERIES.failed]: o.failed ?? 0,
      [SERIES.p95]: rate < capacity ? 20 : 900,
      [SERIES.genSaturated]: o.saturated ? 1 : 0,
      'container.api-1.cpu': rate < capacity ? (rate / capacity) * 100 : 100,
      'load.timing.app': 4,
    },
  }));
}

function sweep(capacity: number, o: { saturatedFrom?: number } = {}): SweepStep[] {
  const steps: SweepStep[] = [];
  for (let rate = nextRate(steps, plan); rate !== null; rate = nextRate(steps, plan))
    steps.push(
      judgeStep(
        seconds(rate, capacity, { saturated: rate >= (o.saturatedFrom ?? Infinity) }),
        rate,
        objective,
        0.01,
        0,
      ),
    );
  return steps;
}

describe('a capacity sweep', () => {
  it('rises by the factor until a step breaks, then halves the gap twice, and finds the knee', () => {
    const steps = sweep(200);
    expect(steps.map((s) => s.rate)).toEqual([50, 75, 113, 170, 255, 213, 192]);
    const k = knee(steps);
    expect(k.knee!.rate).toBe(192);
    expect(k.limit).toBe('objective');
    expect(k.knee!.busiest).toEqual({ service: 'api-1', cpu: 96 });
    expect(k.knee!.timing).toEqual({ app: 4 });
  });

  it('says the generator, not the stack, was the limit when it fell behind first', () => {
    const steps = sweep(1000, { saturatedFrom: 170 });
    expect(steps.map((s) => s.rate)).toEqual([50, 75, 113, 170]);
    const k = knee(steps);
    expect(k.limit).toBe('generator');
    expect(k.knee!.rate).toBe(113);
    expect(steps.at(-1)!.generatorReasons[0]).toMatch(/bottleneck/);
  });

  it("gives the stack a step whose objective broke before its queue filled the generator's connections", () => {
    // Over capacity: p95 at 900 ms from the first second, the generator out of connections from
    // the fourth: the stack broke first.
    const overloaded = seconds(400, 200).map((p, i) => ({
      ...p,
      v: { ...p.v, [SERIES.genSaturated]: i >= 3 ? 1 : 0 },
    }));
    const s = judgeStep(overloaded, 400, objective, 0.01, 0);
    expect(s.generatorLimited).toBe(false);
    expect(s.objectiveMet).toBe(false);
    expect(s.generatorReasons[0]).toMatch(
      /^the objective broke before the generator fell behind .*bottleneck in 5 of 6/,
    );
    // Behind from the second second, before two seconds showed the stack's latency: the generator's.
    const early = overloaded.map((p, i) => ({ ...p, v: { ...p.v, [SERIES.genSaturated]: i >= 1 ? 1 : 0 } }));
    expect(judgeStep(early, 400, objective, 0.01, 0).generatorLimited).toBe(true);
    // Below capacity, the objective held before it fell behind: the generator's.
    const held = seconds(150, 200).map((p, i) => ({ ...p, v: { ...p.v, [SERIES.genSaturated]: i >= 3 ? 1 : 0 } }));
    expect(judgeStep(held, 150, objective, 0.01, 0).generatorLimited).toBe(true);
  });

  it('drains after a step that broke until the generator keeps up and the objective holds again', () => {
    const [backlog] = seconds(100, 200, { saturated: true });
    expect(drained(backlog!, objective)).toBe(false);
    const [slow] = seconds(300, 200);
    expect(drained(slow!, objective)).toBe(false);
    const [clear] = seconds(100, 200);
    expect(drained(clear!, objective)).toBe(true);
    expect(drained({ t: 0, v: {} }, objective)).toBe(false);
  });

  it('breaks on the error budget too', () => {
    const s = judgeStep(seconds(100, 1000, { failed: 5 }), 100, objective, 0.01, 0);
    expect(s.objectiveMet).toBe(true);
    expect(s.errorsMet).toBe(false);
    expect(s.errorRate).toBeCloseTo(0.05, 9);
  });

  it('stops at its step limit, everything held', () => {
    const steps = sweep(1e9);
    expect(steps).toHaveLength(12);
    expect(knee(steps).limit).toBe('max-steps');
  });

  it('refuses an objective that is not a latency bound', () => {
    expect(() => parseObjective('rate<0.01')).toThrow(/latency bound/);
    expect(() => parseObjective('p(95)>200')).toThrow(/latency bound/);
    expect(() => parseObjective('p95<200')).toThrow(/not a threshold/);
    expect(parseObjective('p(99)<=500').series).toBe(SERIES.p99);
  });
});
