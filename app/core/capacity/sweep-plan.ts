// A capacity sweep's decisions, apart from the load it drives: what an objective ("p(95)<200")
// reads, how a step held at one rate is judged from its seconds, which rate comes next (up by a
// factor until something breaks, then halving the gap between the last step that held and the
// first that did not), and where the knee is. Pure.
import type { SweepLimit, SweepStep } from '../../contract/capacity.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { FAMILY, SERIES } from '../../contract/series.js';
import { compare, parseThreshold, type Threshold } from '../load/thresholds.js';
import { measurementVerdict } from './validity.js';

/** The latency series an objective can be about. */
const OBJECTIVE_SERIES: Record<string, string> = {
  'p(50)': SERIES.p50,
  'p(90)': SERIES.p90,
  'p(95)': SERIES.p95,
  'p(99)': SERIES.p99,
  avg: SERIES.mean,
  med: SERIES.p50,
};

export interface Objective {
  threshold: Threshold;
  series: string;
}

/** "p(95)<200": a latency objective in k6's threshold syntax, on a series each second records. */
export function parseObjective(expression: string): Objective {
  const threshold = parseThreshold(expression);
  const series = OBJECTIVE_SERIES[threshold.aggregation];
  if (!series || !['<', '<='].includes(threshold.op))
    throw new Error(
      `"${expression}": a sweep's objective is a latency bound, ${Object.keys(OBJECTIVE_SERIES).join(', ')} with < or <= (e.g. p(95)<200)`,
    );
  return { threshold, series };
}

/** The share of a step left out while the stack settles at its new rate. */
export const SETTLE_SHARE = 0.25;

/** A step from its seconds (those after the settling share): latency as the median of the
 *  per-second values, errors over everything completed, and whether the generator kept up. */
export function judgeStep(
  points: TimelinePoint[],
  rate: number,
  objective: Objective,
  maxErrors: number,
  startSecond: number,
): SweepStep {
  const settled = points.slice(Math.floor(points.length * SETTLE_SHARE));
  const mean = (key: string) => {
    const xs = settled.map((p) => p.v[key]).filter((v): v is number => typeof v === 'number');
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  };
  // Latency as the median of the per-second values: one stalled second (a noisy neighbour on a
  // shared machine) must not decide a step; a queue that builds shows in most of its seconds.
  const median = (key: string) => {
    const xs = settled
      .map((p) => p.v[key])
      .filter((v): v is number => typeof v === 'number')
      .sort((a, b) => a - b);
    return xs.length ? xs[Math.floor((xs.length - 1) / 2)]! : null;
  };
  const total = (key: string) =>
    settled.reduce((a, p) => a + (typeof p.v[key] === 'number' ? (p.v[key] as number) : 0), 0);
  const completed = total(SERIES.rps);
  const errorRate = completed ? total(SERIES.failed) / completed : 1;
  const latency = median(objective.series);
  const measurement = measurementVerdict(settled, 'builtin');
  const stackFirst = measurement.verdict === 'distorted' && brokeBeforeGenerator(points, objective);
  const timing = Object.fromEntries(
    ['cache', 'db', 'app', 'origin'].flatMap((k) => {
      const v = mean(FAMILY.timing.key(k));
      return v === null ? [] : [[k, v]];
    }),
  );
  const cpus = settled.length
    ? Object.keys(settled.at(-1)!.v).flatMap((k) => {
        const name = FAMILY.containerCpu.nameOf(k);
        const v = name ? mean(k) : null;
        return name && v !== null ? [{ service: name, cpu: v }] : [];
      })
    : [];
  const busiest = cpus.sort((a, b) => b.cpu - a.cpu)[0] ?? null;
  return {
    rate,
    startSecond,
    seconds: points.length,
    achieved: mean(SERIES.rps) ?? 0,
    latency,
    p50: median(SERIES.p50),
    p95: median(SERIES.p95),
    p99: median(SERIES.p99),
    errorRate,
    objectiveMet: latency !== null && compare(latency, objective.threshold.op, objective.threshold.value),
    errorsMet: errorRate <= maxErrors,
    generatorLimited: measurement.verdict === 'distorted' && !stackFirst,
    generatorReasons: stackFirst
      ? [
          `the objective broke before the generator fell behind (the stack's queue then filled its connections): ${measurement.reasons.join('; ')}`,
        ]
      : measurement.reasons,
    timing,
    busiest,
  };
}

/** Over its capacity the stack queues requests, and in an open model their number grows until
 *  they fill the generator's connections: the generator then falls behind because of the stack.
 *  The step is the stack's when the objective had already broken (its median over them) in the
 *  step's seconds before the generator first fell behind, two of them at least. */
function brokeBeforeGenerator(points: TimelinePoint[], objective: Objective): boolean {
  const first = points.findIndex((p) => p.v[SERIES.genSaturated] === 1);
  const before = (first < 0 ? points : points.slice(0, first))
    .map((p) => p.v[objective.series])
    .filter((v): v is number => typeof v === 'number')
    .sort((a, b) => a - b);
  if (before.length < 2) return false;
  return !compare(before[Math.floor((before.length - 1) / 2)]!, objective.threshold.op, objective.threshold.value);
}

/** After a step that broke, whether this second at the first rate shows the backlog gone: the
 *  generator keeping up and the objective met again. Pure. */
export function drained(p: TimelinePoint, objective: Objective): boolean {
  const v = p.v[objective.series];
  return (
    p.v[SERIES.genSaturated] !== 1 &&
    typeof v === 'number' &&
    compare(v, objective.threshold.op, objective.threshold.value)
  );
}

/** What stopped a step: the generator first (then the stack was not what was measured). */
export function stepLimit(s: SweepStep): SweepLimit | null {
  if (s.generatorLimited) return 'generator';
  if (!s.objectiveMet) return 'objective';
  if (!s.errorsMet) return 'errors';
  return null;
}

export interface SweepPlan {
  from: number;
  factor: number;
  /** Bisections between the last rate that held and the first that did not. */
  refine: number;
  maxSteps: number;
}

/** The next rate, or null when the sweep is done: up by the factor while every step held; once one
 *  broke (the stack, not the generator), halfway between the highest that held and the lowest that
 *  broke, `refine` times. A generator that fell behind ends the sweep there. */
export function nextRate(steps: SweepStep[], plan: SweepPlan): number | null {
  if (!steps.length) return plan.from;
  if (steps.length >= plan.maxSteps) return null;
  if (steps.some((s) => s.generatorLimited)) return null;
  const held = steps.filter((s) => stepLimit(s) === null).map((s) => s.rate);
  const broke = steps.filter((s) => stepLimit(s) !== null).map((s) => s.rate);
  if (!broke.length) return Math.round(steps.at(-1)!.rate * plan.factor);
  const refined = steps.length - steps.findIndex((s) => stepLimit(s) !== null) - 1;
  if (refined >= plan.refine || !held.length) return null;
  const low = Math.max(...held);
  const high = Math.min(...broke);
  const mid = Math.round((low + high) / 2);
  return mid > low && mid < high ? mid : null;
}

/** The knee: the highest rate whose step held, and what broke at the lowest rate that broke
 *  (the generator falling behind says the stack was not what was measured). */
export function knee(steps: SweepStep[]): { knee: SweepStep | null; limit: SweepLimit } {
  const held = steps.filter((s) => stepLimit(s) === null);
  const best = held.length ? held.reduce((a, b) => (b.rate > a.rate ? b : a)) : null;
  const broken = steps.filter((s) => stepLimit(s) !== null).sort((a, b) => a.rate - b.rate);
  return { knee: best, limit: broken.length ? stepLimit(broken[0]!)! : 'max-steps' };
}
