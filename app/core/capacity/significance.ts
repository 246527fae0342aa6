// Is the difference between two runs real? For throughput, p50/p95/p99 and the error rate: run B
// minus run A with a 95% confidence interval from a moving-block bootstrap over each run's seconds.
// Seconds are not independent (a slow second is followed by another: measured lag-1
// autocorrelation of the per-second p95 0.3-0.65 on ScaleLab's own runs), so whole blocks are
// drawn, each as long as twice the figures' autocorrelation time, and the bootstrap's spread is
// widened by Student's t for the few independent blocks a short run holds (a plain percentile
// interval from a handful of blocks calls one run against itself different 20-30% of the time;
// this one about 5%, significance.test.ts). An interval that spans zero is "no measurable
// difference". Pure: a seeded generator, no I/O.
import { SERIES } from '../../contract/series.js';
import type { TimelinePoint } from '../../contract/runs.js';
import type { ComparedMetric, MetricDifference, Significance } from '../../contract/significance.js';

export interface SignificanceOptions {
  resamples?: number;
  /** Seconds a block holds; default ⌈n^⅓⌉, at least 3. */
  block?: number;
  /** Seconds left out at each run's start (load ramping up) and end (a partial second). */
  skipStart?: number;
  skipEnd?: number;
  seed?: number;
}

/** Fewer seconds than this in either run and nothing is said about a difference. */
export const MIN_SECONDS = 10;

export class TooShortError extends Error {}

interface Second {
  rps: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function seconds(points: TimelinePoint[], skipStart: number, skipEnd: number): Second[] {
  return points
    .slice(skipStart, points.length - skipEnd)
    .map((p) => ({
      rps: num(p.v[SERIES.rps]) ?? 0,
      failed: num(p.v[SERIES.failed]) ?? 0,
      p50: num(p.v[SERIES.p50]),
      p95: num(p.v[SERIES.p95]),
      p99: num(p.v[SERIES.p99]),
    }))
    .filter((s) => s.rps > 0);
}

const meanOf = (xs: Array<number | null>) => {
  let sum = 0;
  let n = 0;
  for (const x of xs)
    if (x !== null) {
      sum += x;
      n++;
    }
  return n ? sum / n : NaN;
};

const METRICS: Array<{ metric: ComparedMetric; label: string; stat: (s: Second[]) => number }> = [
  {
    metric: 'throughput',
    label: 'throughput (requests/s, mean over seconds)',
    stat: (s) => meanOf(s.map((x) => x.rps)),
  },
  { metric: 'p50', label: 'p50 (ms, mean of the per-second p50)', stat: (s) => meanOf(s.map((x) => x.p50)) },
  { metric: 'p95', label: 'p95 (ms, mean of the per-second p95)', stat: (s) => meanOf(s.map((x) => x.p95)) },
  { metric: 'p99', label: 'p99 (ms, mean of the per-second p99)', stat: (s) => meanOf(s.map((x) => x.p99)) },
  {
    metric: 'error_rate',
    label: 'error rate (failed over completed)',
    stat: (s) =>
      s.reduce((a, x) => a + x.failed, 0) /
      Math.max(
        1,
        s.reduce((a, x) => a + x.rps, 0),
      ),
  },
];

/** mulberry32: a small seeded generator, so a comparison says the same thing each time. */
function generator(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** As many seconds as the run has, drawn in blocks of consecutive ones. */
function resample<T>(xs: T[], block: number, random: () => number): T[] {
  const out: T[] = [];
  const starts = xs.length - block + 1;
  while (out.length < xs.length) {
    const start = Math.floor(random() * starts);
    for (let i = start; i < start + block && out.length < xs.length; i++) out.push(xs[i]!);
  }
  return out;
}

/** How many seconds a second's figures carry on into the next ones: the longest integrated
 *  autocorrelation time (1 + 2Σρ(k), summed while ρ stays positive) of throughput, p50, p95, p99. */
function memory(s: Second[]): number {
  const series: Array<Array<number | null>> = [
    s.map((x) => x.rps),
    s.map((x) => x.p50),
    s.map((x) => x.p95),
    s.map((x) => x.p99),
  ];
  return Math.max(...series.map((xs) => autocorrelationTime(xs.filter((v): v is number => v !== null))));
}

function autocorrelationTime(xs: number[]): number {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / n;
  if (!(v > 0)) return 1;
  let tau = 1;
  for (let k = 1; k < n / 4; k++) {
    let c = 0;
    for (let i = 0; i + k < n; i++) c += (xs[i]! - m) * (xs[i + k]! - m);
    const rho = c / n / v;
    if (rho <= 0) break;
    tau += 2 * rho;
  }
  return tau;
}

/** Student's t, 97.5th percentile, by degrees of freedom (1.96 past 30). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const tQuantile975 = (dof: number) => (dof < 1 ? T975[0]! : (T975[dof - 1] ?? 1.96));

/** B against A, metric by metric; a TooShortError when either run has too few seconds to judge. */
export function differences(a: TimelinePoint[], b: TimelinePoint[], o: SignificanceOptions = {}): MetricDifference[] {
  const skipStart = o.skipStart ?? 2;
  const skipEnd = o.skipEnd ?? 1;
  const sa = seconds(a, skipStart, skipEnd);
  const sb = seconds(b, skipStart, skipEnd);
  const shortest = Math.min(sa.length, sb.length);
  if (shortest < MIN_SECONDS)
    throw new TooShortError(
      `Too short to judge: ${shortest} second${shortest === 1 ? '' : 's'} with traffic (after the first ${skipStart} and the last ${skipEnd}); a difference needs ${MIN_SECONDS} or more in each run.`,
    );
  const block =
    o.block ?? Math.min(Math.floor(shortest / 4), Math.max(3, Math.ceil(2 * Math.max(memory(sa), memory(sb)))));
  const resamples = o.resamples ?? 2000;
  const random = generator(o.seed ?? 1);
  const draws = METRICS.map(() => [] as number[]);
  for (let r = 0; r < resamples; r++) {
    const ra = resample(sa, block, random);
    const rb = resample(sb, block, random);
    METRICS.forEach((m, i) => draws[i]!.push(m.stat(rb) - m.stat(ra)));
  }
  return METRICS.flatMap((m, i) => {
    const x = m.stat(sa);
    const y = m.stat(sb);
    const d = draws[i]!.filter(Number.isFinite);
    if (!Number.isFinite(x) || !Number.isFinite(y) || d.length < 2) return [];
    // The bootstrap's spread, widened by Student's t for the few independent blocks a short run
    // holds: a percentile interval from a handful of blocks is too narrow.
    const mean = d.reduce((p, q) => p + q, 0) / d.length;
    const sd = Math.sqrt(d.reduce((p, q) => p + (q - mean) ** 2, 0) / (d.length - 1));
    const half = tQuantile975(Math.floor(shortest / block) - 1) * sd;
    const low = y - x - half;
    const high = y - x + half;
    const verdict = low <= 0 && high >= 0 ? 'no measurable difference' : high < 0 ? 'lower in B' : 'higher in B';
    return [{ metric: m.metric, label: m.label, a: x, b: y, diff: y - x, low, high, verdict }];
  });
}

/** What a comparison says about significance: the differences, or why it cannot say. */
export function significance(a: TimelinePoint[], b: TimelinePoint[]): Significance {
  try {
    return {
      differences: differences(a, b),
      method:
        "B − A with a 95% interval: a moving-block bootstrap over each run's seconds (blocks twice the p95's autocorrelation time), widened by Student's t for the blocks a run holds; the first 2 s and the last second left out.",
    };
  } catch (err) {
    if (err instanceof TooShortError) return { unavailable: err.message };
    throw err;
  }
}
