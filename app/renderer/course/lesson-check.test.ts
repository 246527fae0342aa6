import { describe, expect, it } from 'vitest';
import type { LessonCheck } from '../../contract/course.js';
import type { TimelinePoint } from '../../contract/runs.js';
import type { Topology } from '../../contract/topology.js';
import { evaluateCheck, observedFigures, readCondition } from './lesson-check.js';

const T0 = 1_800_000_000_000;
const hitRatio: LessonCheck = {
  describe: 'hit ratio at 0.7 or above for 3 s within 10 s',
  conditions: [{ kind: 'series', series: 'redis.hit_ratio', op: '>=', value: 0.7, label: 'Redis hit ratio' }],
  holdSeconds: 3,
  withinSeconds: 10,
};
const seconds = (values: Array<number | null>, from = T0): TimelinePoint[] =>
  values.map((x, i) => ({ t: from + i * 1000, v: { 'redis.hit_ratio': x } }));

describe('evaluateCheck', () => {
  it('passes once every condition has held for holdSeconds points in a row, and says when', () => {
    const s = evaluateCheck(hitRatio, seconds([0.2, 0.5, 0.72, 0.8, 0.81, 0.9]), T0, null, T0 + 6000);
    expect(s.status).toBe('passed');
    expect(s.passedAt).toBe(T0 + 4000);
    expect(observedFigures(s)).toEqual({ 'Redis hit ratio': 0.81 });
  });

  it('starts counting again when a condition breaks, or a second is missing', () => {
    const broken = seconds([0.8, 0.8, 0.6, 0.8, 0.8]);
    expect(evaluateCheck(hitRatio, broken, T0, null, T0 + 5000)).toMatchObject({ status: 'watching', held: 2 });
    const gap = [...seconds([0.8, 0.8]), ...seconds([0.8], T0 + 5000)];
    expect(evaluateCheck(hitRatio, gap, T0, null, T0 + 6000)).toMatchObject({ status: 'watching', held: 1 });
  });

  it('ignores points from before the check started', () => {
    const s = evaluateCheck(hitRatio, seconds([0.9, 0.9, 0.9, 0.1]), T0 + 3000, null, T0 + 4000);
    expect(s).toMatchObject({ status: 'watching', held: 0 });
    expect(s.readings[0]).toEqual({ label: 'Redis hit ratio', value: 0.1, ok: false });
  });

  it('times out when nothing held in time, yet lets a run begun in time finish', () => {
    const late = seconds([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9]);
    expect(evaluateCheck(hitRatio, late, T0, null, T0 + 12_000).status).toBe('timed-out');
    const inTime = seconds([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9]);
    expect(evaluateCheck(hitRatio, inTime, T0, null, T0 + 12_000).status).toBe('watching');
    expect(evaluateCheck(hitRatio, [...inTime, ...seconds([0.9], T0 + 12_000)], T0, null, T0 + 13_000)).toMatchObject({
      status: 'passed',
      passedAt: T0 + 12_000,
    });
  });

  it('treats a missing series as not holding', () => {
    expect(evaluateCheck(hitRatio, seconds([null, null, null]), T0, null, T0 + 3000).status).toBe('watching');
  });
});

describe('readCondition', () => {
  const p: TimelinePoint = {
    t: T0,
    v: {
      'load.instance.api-1': 30,
      'load.instance.api-2': 0,
      'load.instance.api-3': 29,
      'load.db.primary': 10,
      'load.db.db-replica-1': 12,
      'load.db.db-replica-2': 14,
    },
  };
  it('aggregates a family: count of names above zero, sum, max, optionally by prefix', () => {
    expect(
      readCondition({ kind: 'family', family: 'instance', agg: 'count', op: '>=', value: 3, label: 'n' }, p, null),
    ).toEqual({
      label: 'n',
      value: 2,
      ok: false,
    });
    expect(
      readCondition(
        { kind: 'family', family: 'dbNode', agg: 'sum', prefix: 'db-replica-', op: '>=', value: 1, label: 'r' },
        p,
        null,
      ).value,
    ).toBe(26);
    expect(
      readCondition({ kind: 'family', family: 'dbNode', agg: 'max', op: '<=', value: 20, label: 'm' }, p, null).ok,
    ).toBe(true);
  });

  it('reads a topology field by path', () => {
    const t = { database: { readYourWrites: true } } as unknown as Topology;
    const c = { kind: 'topology', path: 'database.readYourWrites', equals: true, label: 'ryw' } as const;
    expect(readCondition(c, p, t)).toEqual({ label: 'ryw', value: true, ok: true });
    expect(readCondition(c, p, null)).toEqual({ label: 'ryw', value: null, ok: false });
  });
});
