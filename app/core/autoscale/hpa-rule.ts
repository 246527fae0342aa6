// The Kubernetes Horizontal Pod Autoscaler's rule, as its controller computes it (pkg/controller/
// podautoscaler: replica_calculator.go and horizontal.go), so what a learner sees here is what a
// cluster would do:
//   desired = ceil(current × metric / target), skipped while the ratio is within the tolerance (0.1);
//   clamped to [min, max];
//   stabilised: a scale-up goes no higher than the lowest recommendation of the scale-up window, a
//   scale-down no lower than the highest of the scale-down window;
//   rate-limited by the HPA's default policies: up by at most max(100 %, 4 instances) per period.
// Pure: the controller (autoscaler.ts) feeds it readings and keeps its recommendation history.
import type { Autoscale } from '../../contract/topology.js';

/** The HPA's default tolerance (--horizontal-pod-autoscaler-tolerance). */
export const HPA_TOLERANCE = 0.1;

export interface Recommendation {
  t: number;
  instances: number;
}

export interface HpaInput {
  now: number;
  current: number;
  /** The metric's reading over the last period (CPU % of the limit, or p95 ms); null: none. */
  reading: number | null;
  settings: Autoscale;
  /** Earlier recommendations (the controller keeps them; at most the longer window's worth). */
  history: readonly Recommendation[];
}

export interface HpaDecision {
  /** The instance count to run (equal to current: nothing to do). */
  desired: number;
  /** The rule's own count before clamping and stabilising (null without a reading). */
  raw: number | null;
  /** The rule's count clamped to [min, max], before the windows (null without a reading). */
  recommended: number | null;
  /** metric / target. */
  ratio: number | null;
  /** One sentence: the reading, the rule, and what held it back. */
  reason: string;
  history: Recommendation[];
}

const metricName = (s: Autoscale) => (s.metric === 'cpu' ? 'CPU' : 'p95');
const unit = (s: Autoscale) => (s.metric === 'cpu' ? '%' : ' ms');
export const targetOf = (s: Autoscale) => (s.metric === 'cpu' ? s.targetCpuPercent : s.targetP95Ms);

export function decide({ now, current, reading, settings: s, history }: HpaInput): HpaDecision {
  const keepMs = Math.max(s.scaleUpStabilizationSeconds, s.scaleDownStabilizationSeconds) * 1000;
  const kept = history.filter((r) => now - r.t <= keepMs);
  if (reading === null) {
    // Without a reading the HPA changes nothing but still corrects a count outside [min, max].
    const desired = Math.min(s.max, Math.max(s.min, current));
    const reason =
      desired === current ? `no ${metricName(s)} reading: ${current} kept` : `outside ${s.min}–${s.max}: ${desired}`;
    return { desired, raw: null, recommended: null, ratio: null, reason, history: kept };
  }
  const target = targetOf(s);
  const ratio = reading / target;
  const within = Math.abs(ratio - 1) <= HPA_TOLERANCE;
  const raw = within ? current : Math.ceil(current * ratio);
  const clamped = Math.min(s.max, Math.max(s.min, raw));
  const recent = [...kept, { t: now, instances: clamped }];

  // horizontal.go stabilizeRecommendationWithBehaviors: both windows over the same history.
  let up = clamped;
  let down = clamped;
  for (const r of recent) {
    if (now - r.t <= s.scaleUpStabilizationSeconds * 1000) up = Math.min(up, r.instances);
    if (now - r.t <= s.scaleDownStabilizationSeconds * 1000) down = Math.max(down, r.instances);
  }
  let stabilised = current;
  if (stabilised < up) stabilised = up;
  if (stabilised > down) stabilised = down;
  // The default scale-up policy: at most double, or four more, per period.
  const upLimit = Math.max(current * 2, current + 4);
  const desired = Math.min(s.max, Math.max(s.min, Math.min(stabilised, upLimit)));

  const shown = `${metricName(s)} ${round(reading)}${unit(s)} vs target ${target}${unit(s)}`;
  const rule = within
    ? `within the ${HPA_TOLERANCE * 100}% tolerance`
    : `ceil(${current} × ${round(ratio, 2)}) = ${raw}${clamped !== raw ? `, ${clamped < raw ? 'capped at max' : 'raised to min'} ${clamped}` : ''}`;
  const held =
    desired === clamped
      ? ''
      : desired === upLimit
        ? `; at most ${upLimit} this period (the HPA's scale-up policy)`
        : desired > clamped
          ? `; held at ${desired} by the ${s.scaleDownStabilizationSeconds} s scale-down window`
          : `; held at ${desired} by the ${s.scaleUpStabilizationSeconds} s scale-up window`;
  return { desired, raw, recommended: clamped, ratio, reason: `${shown}: ${rule}${held}`, history: recent };
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
