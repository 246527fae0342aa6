// Whether a lesson's check passed, read from the run's timeline: every condition must hold for
// `holdSeconds` points in a row, the first of them no later than `withinSeconds` after the check
// started. Pure, so the console and its tests read the same answer from the same points.
import type { CheckCondition, LessonCheck } from '../../contract/course.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { FAMILY } from '../../contract/series.js';
import type { Topology } from '../../contract/topology.js';

export interface ConditionReading {
  label: string;
  value: number | string | boolean | null;
  ok: boolean;
}

export interface CheckState {
  status: 'watching' | 'passed' | 'timed-out';
  /** Seconds in a row every condition has held (up to the last point read). */
  held: number;
  /** Each condition as of the last point (or of the passing one). */
  readings: ConditionReading[];
  passedAt: number | null;
}

/** Two points further apart than this are not "in a row" (the run paused, or a second was lost). */
const MAX_GAP_MS = 1_500;

function topologyValue(t: Topology | null, path: string): unknown {
  let at: unknown = t;
  for (const part of path.split('.'))
    at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}

function familyValue(c: Extract<CheckCondition, { kind: 'family' }>, v: TimelinePoint['v']): number | null {
  const values: number[] = [];
  for (const [k, x] of Object.entries(v)) {
    const name = FAMILY[c.family].nameOf(k);
    if (name === null || typeof x !== 'number' || (c.prefix && !name.startsWith(c.prefix))) continue;
    values.push(x);
  }
  if (values.length === 0) return null;
  if (c.agg === 'count') return values.filter((x) => x > 0).length;
  if (c.agg === 'max') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0);
}

export function readCondition(c: CheckCondition, p: TimelinePoint | undefined, t: Topology | null): ConditionReading {
  if (c.kind === 'topology') {
    const value = topologyValue(t, c.path);
    return {
      label: c.label,
      value: typeof value === 'object' || value === undefined ? null : (value as string | number | boolean),
      ok: value === c.equals,
    };
  }
  const value = !p ? null : c.kind === 'series' ? (p.v[c.series] ?? null) : familyValue(c, p.v);
  const ok = typeof value === 'number' && (c.op === '>=' ? value >= c.value : value <= c.value);
  return { label: c.label, value, ok };
}

/** The check over the points since `since` (epoch ms), at time `now`. Topology conditions read the
 *  topology running now: the console applies it, so it is known, not sampled. */
export function evaluateCheck(
  check: LessonCheck,
  points: readonly TimelinePoint[],
  since: number,
  topology: Topology | null,
  now: number,
): CheckState {
  const deadline = since + check.withinSeconds * 1000;
  let held = 0;
  let runStart = 0;
  let prevT = -Infinity;
  let last: TimelinePoint | undefined;
  for (const p of points) {
    if (p.t < since) continue;
    last = p;
    const ok = check.conditions.every((c) => readCondition(c, p, topology).ok);
    if (!ok || p.t - prevT > MAX_GAP_MS) held = 0;
    prevT = p.t;
    if (!ok) continue;
    if (held === 0) runStart = p.t;
    held += 1;
    if (held >= check.holdSeconds && runStart <= deadline)
      return {
        status: 'passed',
        held,
        readings: check.conditions.map((c) => readCondition(c, p, topology)),
        passedAt: p.t,
      };
  }
  const readings = check.conditions.map((c) => readCondition(c, last, topology));
  // Still holding a run that began in time: it may yet pass.
  const timedOut = now > deadline && !(held > 0 && runStart <= deadline);
  return { status: timedOut ? 'timed-out' : 'watching', held, readings, passedAt: null };
}

/** What a passed check keeps: each condition's reading, by label (numbers only). */
export function observedFigures(state: CheckState): Record<string, number | null> {
  return Object.fromEntries(state.readings.map((r) => [r.label, typeof r.value === 'number' ? r.value : null]));
}
