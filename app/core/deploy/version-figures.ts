// A version's requests, errors and p95 over a window, from its instances' own /metrics read at the
// window's start and end, and the canary's judgement: the new version against the old one. Pure.
// The same arithmetic as a Prometheus canary analysis (Flagger, Argo Rollouts): rate of 5xx over
// all, and histogram_quantile(0.95) over the summed buckets.
import type { CanaryJudgement, VersionFigures } from '../../contract/deploy.js';
import { histogramBuckets, parsePrometheus, sumBy } from '../metrics/prometheus-text.js';

/** Fewer requests than this on either side and a step is not judged. */
export const MIN_JUDGED_REQUESTS = 50;

export interface InstanceReading {
  requests: number;
  errors: number;
  /** Cumulative count per upper bound (s). */
  buckets: Map<number, number>;
}

const REQUESTS = 'scalelab_http_requests_total';
const DURATION = 'http_request_duration_seconds';

/** One instance's /metrics text, as the counts a window needs. */
export function readInstance(text: string): InstanceReading {
  const byStatus = sumBy(parsePrometheus(text), REQUESTS, 'status');
  let requests = 0;
  let errors = 0;
  for (const [status, n] of byStatus) {
    requests += n;
    if (Number(status) >= 500) errors += n;
  }
  return { requests, errors, buckets: histogramBuckets(text, DURATION) };
}

const ZERO: InstanceReading = { requests: 0, errors: 0, buckets: new Map() };

/** What happened between two readings of one instance (one that restarted counts from zero). */
function since(start: InstanceReading | undefined, end: InstanceReading): InstanceReading {
  const s = start && start.requests <= end.requests ? start : ZERO;
  const buckets = new Map<number, number>();
  for (const [le, n] of end.buckets) buckets.set(le, n - (s.buckets.get(le) ?? 0));
  return { requests: end.requests - s.requests, errors: end.errors - s.errors, buckets };
}

/** histogram_quantile: the bucket the rank falls in, linearly interpolated; in +Inf, the highest
 *  finite bound. Null with no observations. */
export function quantile(q: number, buckets: Map<number, number>): number | null {
  const sorted = [...buckets].sort(([a], [b]) => a - b);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      return prevBound + ((bound - prevBound) * (rank - prevCount)) / Math.max(count - prevCount, 1e-9);
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

/** A version's figures over a window: its instances' readings at the start (by name) and the end. */
export function versionFigures(
  version: string,
  start: Map<string, InstanceReading>,
  end: Map<string, InstanceReading>,
): VersionFigures {
  let requests = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  for (const [name, reading] of end) {
    const d = since(start.get(name), reading);
    requests += d.requests;
    errors += d.errors;
    for (const [le, n] of d.buckets) buckets.set(le, (buckets.get(le) ?? 0) + n);
  }
  const p95 = quantile(0.95, buckets);
  return {
    version,
    requests,
    errorRate: requests > 0 ? errors / requests : null,
    p95Ms: p95 === null ? null : Math.round(p95 * 10_000) / 10,
  };
}

export interface JudgeBounds {
  maxP95Ratio: number;
  minP95IncreaseMs: number;
  maxErrorRateIncrease: number;
}

const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);
const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);

/** The canary analysis: is the candidate worse than the baseline, by the bounds? */
export function judge(baseline: VersionFigures, candidate: VersionFigures, b: JudgeBounds): CanaryJudgement {
  const verdict = (v: CanaryJudgement['verdict'], reason: string): CanaryJudgement => ({
    verdict: v,
    reason,
    baseline,
    candidate,
  });
  if (candidate.requests < MIN_JUDGED_REQUESTS || baseline.requests < MIN_JUDGED_REQUESTS)
    return verdict(
      'too-little-traffic',
      `${candidate.version} answered ${candidate.requests} and ${baseline.version} ${baseline.requests} requests: ${MIN_JUDGED_REQUESTS} each are needed to judge`,
    );
  const errCand = candidate.errorRate ?? 0;
  const errBase = baseline.errorRate ?? 0;
  if (errCand > errBase + b.maxErrorRateIncrease)
    return verdict(
      'worse',
      `${candidate.version} failed ${pct(errCand)} of requests, ${baseline.version} ${pct(errBase)} (allowed: ${(b.maxErrorRateIncrease * 100).toFixed(1)} points more)`,
    );
  const p95Cand = candidate.p95Ms;
  const p95Base = baseline.p95Ms;
  if (
    p95Cand !== null &&
    p95Base !== null &&
    p95Cand > p95Base * b.maxP95Ratio &&
    p95Cand - p95Base > b.minP95IncreaseMs
  )
    return verdict(
      'worse',
      `${candidate.version}'s p95 ${ms(p95Cand)} against ${baseline.version}'s ${ms(p95Base)} (allowed: ×${b.maxP95Ratio} and +${b.minP95IncreaseMs} ms)`,
    );
  return verdict(
    'pass',
    `${candidate.version}: p95 ${ms(p95Cand)}, ${pct(errCand)} failed; ${baseline.version}: p95 ${ms(p95Base)}, ${pct(errBase)} failed`,
  );
}
