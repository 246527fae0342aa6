// Thresholds in k6's syntax ("p(95)<300", "rate<0.01", "avg<=200", "count>100"), parsed and
// evaluated on a run's figures. The same strings are handed to k6 unchanged by the k6 engine.
import type { ThresholdResult } from '../../contract/load.js';

export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | `p(${number})`;
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface Threshold {
  expression: string;
  aggregation: Aggregation;
  op: Operator;
  value: number;
}

const RE =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function parseThreshold(expression: string): Threshold {
  const m = RE.exec(expression);
  if (!m) throw new Error(`"${expression}" is not a threshold: expected e.g. p(95)<300, avg<200, rate<0.01, count>100`);
  const pct = m[2] !== undefined ? Number(m[2]) : undefined;
  if (pct !== undefined && (pct <= 0 || pct > 100)) throw new Error(`"${expression}": a percentile is in (0, 100]`);
  const aggregation = (pct !== undefined ? `p(${pct})` : m[1]) as Aggregation;
  return { expression, aggregation, op: m[3] as Operator, value: Number(m[4]) };
}

export function compare(actual: number, op: Operator, value: number): boolean {
  switch (op) {
    case '<':
      return actual < value;
    case '<=':
      return actual <= value;
    case '>':
      return actual > value;
    case '>=':
      return actual >= value;
    case '==':
    case '===':
      return actual === value;
    case '!=':
      return actual !== value;
  }
}

/** The metrics a workload may put thresholds on, and the aggregations each one has. */
export const THRESHOLD_METRICS: Record<string, Aggregation[] | 'trend'> = {
  http_req_duration: 'trend',
  http_req_failed: ['rate'],
  http_reqs: ['count', 'rate'],
  dropped_iterations: ['count', 'rate'],
  scalelab_stale_reads: ['count', 'rate'],
  scalelab_cache_hits: ['rate'],
};

export function checkThresholdMetric(metric: string, t: Threshold): void {
  const allowed = THRESHOLD_METRICS[metric];
  if (!allowed)
    throw new Error(`no metric "${metric}" for thresholds: one of ${Object.keys(THRESHOLD_METRICS).join(', ')}`);
  const ok =
    allowed === 'trend'
      ? ['avg', 'min', 'max', 'med'].includes(t.aggregation) || t.aggregation.startsWith('p(')
      : allowed.includes(t.aggregation);
  if (!ok)
    throw new Error(
      `${metric} has no "${t.aggregation}" (${allowed === 'trend' ? 'avg, min, max, med, p(N)' : allowed.join(', ')})`,
    );
}

/** The figures thresholds are evaluated on: per metric, the value of one aggregation (null: no data). */
export type MetricValue = (metric: string, aggregation: string) => number | null;

export function evaluateThresholds(thresholds: Record<string, string[]>, value: MetricValue): ThresholdResult[] {
  return Object.entries(thresholds).flatMap(([metric, list]) =>
    list.map((expression) => {
      const t = parseThreshold(expression);
      const actual = value(metric, t.aggregation);
      // k6 fails a threshold on a metric with no samples only for trends; a rate or count of nothing is 0.
      return { metric, expression, actual, passed: actual === null ? false : compare(actual, t.op, t.value) };
    }),
  );
}
