// Predict, then measure (workshop mode): before a run or a sweep the room records what it expects,
// a number for one figure or a choice (lower, about the same, higher than an earlier run); the run
// keeps it, and afterwards every view shows it against what was measured.
import type { RunSummary } from './load.js';
import type { ComparedMetric, MetricDifference } from './significance.js';

/** `knee` is a sweep's: the highest rate that held its objective. */
export const PREDICTED_METRICS = ['rps', 'p50', 'p95', 'p99', 'error_rate', 'hit_ratio', 'max_lag', 'knee'] as const;
export type PredictedMetric = (typeof PREDICTED_METRICS)[number];

/** A number for one figure. */
export interface NumberPrediction {
  metric: PredictedMetric;
  value: number;
}

export const CHOICES = ['lower', 'same', 'higher'] as const;
export type Choice = (typeof CHOICES)[number];
export const COMPARED_FIGURES: readonly ComparedMetric[] = ['throughput', 'p50', 'p95', 'p99', 'error_rate'];

/** A choice: this run's figure against an earlier run's, judged by the 95% interval of the
 *  difference ("same" when it spans zero). */
export interface ChoicePrediction {
  versus: ComparedMetric;
  /** The earlier run (an id; "last" is resolved to one when the run starts). */
  against: string;
  choice: Choice;
}

export type Prediction = NumberPrediction | ChoicePrediction;

export const isChoice = (p: Prediction): p is ChoicePrediction => 'choice' in p;

/** What a choice prediction is checked against: the difference, or why there is no verdict. */
export type VersusOutcome = MetricDifference | { unavailable: string };

/** The choice a measured difference makes. */
export const choiceOf = (d: MetricDifference): Choice =>
  d.verdict === 'lower in B' ? 'lower' : d.verdict === 'higher in B' ? 'higher' : 'same';

const CHOICE_WORDS: Record<Choice, string> = { lower: 'lower', same: 'about the same', higher: 'higher' };

export const PREDICTED_LABELS: Record<PredictedMetric, { label: string; unit: string }> = {
  rps: { label: 'requests per second', unit: '/s' },
  p50: { label: 'p50 latency', unit: ' ms' },
  p95: { label: 'p95 latency', unit: ' ms' },
  p99: { label: 'p99 latency', unit: ' ms' },
  error_rate: { label: 'error rate', unit: '' },
  hit_ratio: { label: 'cache hit ratio', unit: '' },
  max_lag: { label: 'max replication lag', unit: ' s' },
  knee: { label: 'knee (a sweep\u2019s highest rate that held)', unit: '/s' },
};

/** The figure a prediction was about, as the run measured it (null: the run has no such figure). */
export function measuredFor(metric: PredictedMetric, s: RunSummary): number | null {
  switch (metric) {
    case 'rps':
      return s.rps;
    case 'p50':
    case 'p95':
    case 'p99':
      return s.latency?.[metric] ?? null;
    case 'error_rate':
      return s.errorRate;
    case 'hit_ratio':
      return s.hitRatio;
    case 'max_lag':
      return s.maxLagSeconds;
    case 'knee':
      return s.knee ?? null;
  }
}

/** "predicted p95 latency 80 ms, measured 65.2 ms (18% lower)", or what is still to come. */
export function predictionLine(p: Prediction, s: RunSummary | null): string {
  if (isChoice(p)) return choiceLine(p, s);
  const { label, unit } = PREDICTED_LABELS[p.metric];
  const digits = p.metric === 'error_rate' || p.metric === 'hit_ratio' ? 3 : 1;
  const head = `predicted ${label} ${p.value}${unit}`;
  const measured = s ? measuredFor(p.metric, s) : null;
  if (measured === null) return `${head}; measured: not yet`;
  const off = p.value ? ((measured - p.value) / Math.abs(p.value)) * 100 : null;
  const how =
    off === null || Math.abs(off) < 0.5 ? 'spot on' : `${Math.abs(off).toFixed(0)}% ${off > 0 ? 'higher' : 'lower'}`;
  return `${head}, measured ${measured.toFixed(digits)}${unit} (${how})`;
}

/** "predicted p95 lower than run X; measured lower (−20.6 ms, 95% interval −27.4 to −13.7): right". */
function choiceLine(p: ChoicePrediction, s: RunSummary | null): string {
  const head = `predicted ${p.versus} ${CHOICE_WORDS[p.choice]} than run ${p.against}`;
  const v = s?.versus;
  if (!v) return `${head}; measured: not yet`;
  if ('unavailable' in v) return `${head}; no verdict: ${v.unavailable}`;
  const got = choiceOf(v);
  const d = v.metric === 'error_rate' ? 4 : 1;
  const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(d)}`;
  return `${head}; measured ${CHOICE_WORDS[got]} (${signed(v.diff)}, 95% interval ${signed(v.low)} to ${signed(v.high)}): ${got === p.choice ? 'right' : 'wrong'}`;
}
