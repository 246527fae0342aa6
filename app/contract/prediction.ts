// Predict, then measure (workshop mode): before a run the room records what it expects of one
// figure; the run keeps it, and afterwards every view shows it against what was measured.
import type { RunSummary } from './load.js';

export const PREDICTED_METRICS = ['rps', 'p50', 'p95', 'p99', 'error_rate', 'hit_ratio', 'max_lag'] as const;
export type PredictedMetric = (typeof PREDICTED_METRICS)[number];

export interface Prediction {
  metric: PredictedMetric;
  value: number;
}

export const PREDICTED_LABELS: Record<PredictedMetric, { label: string; unit: string }> = {
  rps: { label: 'requests per second', unit: '/s' },
  p50: { label: 'p50 latency', unit: ' ms' },
  p95: { label: 'p95 latency', unit: ' ms' },
  p99: { label: 'p99 latency', unit: ' ms' },
  error_rate: { label: 'error rate', unit: '' },
  hit_ratio: { label: 'cache hit ratio', unit: '' },
  max_lag: { label: 'max replication lag', unit: ' s' },
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
  }
}

/** "predicted p95 latency 80 ms, measured 65.2 ms (18% lower)", or what is still to come. */
export function predictionLine(p: Prediction, s: RunSummary | null): string {
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
