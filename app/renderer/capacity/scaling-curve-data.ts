// The rows a scaling curve's chart draws: each fitted law sampled along N, and the measured knees
// at their own N. Pure, so the console and the report draw the same points.
import { scalingAt, type CurveResult } from '../../contract/capacity.js';

export interface CurveRow {
  n: number;
  usl?: number;
  amdahl?: number;
}

const SAMPLES = 48;

/** The knees measured: N and the requests/s completed at the knee. */
export const measuredKnees = (c: Pick<CurveResult, 'points'>) =>
  c.points.flatMap((p) => (p.throughput === null ? [] : [{ n: p.value, measured: p.throughput }]));

/** The fitted laws sampled from N = 1 to past the last measured value (and past the USL's peak when it is near), so the
 *  curve shows where more would lead. */
export function scalingCurveRows(c: Pick<CurveResult, 'points' | 'usl' | 'amdahl'>): CurveRow[] {
  const values = c.points.map((p) => p.value);
  if (!values.length) return [];
  const last = Math.max(...values);
  const peak = c.usl?.peakN ?? null;
  // A whole N to end on: the axis's last tick is a count someone could run.
  const end = Math.ceil(Math.max(last * 1.5, peak !== null && peak < last * 3 ? peak * 1.25 : 0));
  const start = Math.min(1, ...values);
  const rows: CurveRow[] = [];
  if (c.usl || c.amdahl)
    for (let i = 0; i <= SAMPLES; i++) {
      const n = start + ((end - start) * i) / SAMPLES;
      rows.push({
        n: Number(n.toFixed(3)),
        ...(c.usl ? { usl: scalingAt(c.usl, n) } : {}),
        ...(c.amdahl ? { amdahl: scalingAt(c.amdahl, n) } : {}),
      });
    }
  return rows;
}

/** One line per N: each sweep's p95 against the rate it offered (the hockey sticks side by side). */
export function hockeySticks(
  c: Pick<CurveResult, 'points'>,
): Array<{ value: number; rows: Array<{ rate: number; p95: number }> }> {
  return c.points.map((p) => ({
    value: p.value,
    rows: [...p.sweep.steps]
      .filter((s) => s.p95 !== null)
      .sort((a, b) => a.rate - b.rate)
      .map((s) => ({ rate: s.rate, p95: s.p95! })),
  }));
}
