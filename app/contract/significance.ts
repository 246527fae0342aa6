// Two runs compared figure by figure, with whether the difference is real (app/core/capacity/
// significance.ts computes it): the types every host shows, and the words they show it in.

export type ComparedMetric = 'throughput' | 'p50' | 'p95' | 'p99' | 'error_rate';

export interface MetricDifference {
  metric: ComparedMetric;
  /** What the figure is, as said beside it. */
  label: string;
  a: number;
  b: number;
  /** b − a, and the 95% interval of that difference. */
  diff: number;
  low: number;
  high: number;
  verdict: 'no measurable difference' | 'higher in B' | 'lower in B';
}

export type Significance =
  | { differences: MetricDifference[]; method: string }
  /** Why nothing is said (a run too short to judge). */
  | { unavailable: string };

const digits = (m: ComparedMetric) => (m === 'error_rate' ? 4 : 1);
const signed = (x: number, d: number) => `${x > 0 ? '+' : ''}${x.toFixed(d)}`;

/** The cells of one row: figure, A, B, B − A, its 95% interval, the verdict. */
export function differenceCells(d: MetricDifference): string[] {
  const n = digits(d.metric);
  return [
    d.label,
    d.a.toFixed(n),
    d.b.toFixed(n),
    signed(d.diff, n),
    `${signed(d.low, n)} to ${signed(d.high, n)}`,
    d.verdict,
  ];
}

export const DIFFERENCE_COLUMNS = ['figure', 'A', 'B', 'B − A', '95% interval', 'verdict'];
