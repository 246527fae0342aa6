// A run's key figures (the report's summary table), and two runs compared (e.g. cache off vs on):
// series aligned on seconds since each run's start, and the figures with their deltas.
import { FAILURE_LABELS, FAILURE_REASONS, SERIES } from '../../contract/series.js';
import type { ReportFigure } from '../../contract/reports.js';
import type { RunComparison, RunData } from '../../contract/runs.js';
import { significance } from '../capacity/significance.js';

function mean(values: Array<number | null | undefined>): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}

function max(values: Array<number | null | undefined>): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? Math.max(...xs) : null;
}

/** The figures of a run: from its summary where it has one (an ended run), else from its timeline. */
export function runFigures(d: RunData): ReportFigure[] {
  const s = d.run.summary;
  const series = (name: string) => d.timeline.map((p) => p.v[name]);
  const sum = (name: string) => series(name).reduce<number>((acc, v) => acc + (typeof v === 'number' ? v : 0), 0);
  const rps = s?.rps ?? mean(series(SERIES.rps));
  const dbq = mean(series(SERIES.dbQueries));
  const fig = (key: string, label: string, value: number | null, unit = ''): ReportFigure => ({
    key,
    label,
    value,
    unit,
  });
  return [
    fig('requests', 'requests', s?.requests ?? (d.timeline.length ? sum(SERIES.rps) : null)),
    fig('duration', 'duration', s?.durationSeconds ?? (d.timeline.length ? d.timeline.length : null), 's'),
    fig('rps', 'requests per second', rps),
    fig('p50', 'p50 latency (ms)', s?.latency?.p50 ?? mean(series(SERIES.p50)), 'ms'),
    fig('p90', 'p90 latency (ms)', s?.latency?.p90 ?? mean(series(SERIES.p90)), 'ms'),
    fig('p95', 'p95 latency (ms)', s?.latency?.p95 ?? mean(series(SERIES.p95)), 'ms'),
    fig('p99', 'p99 latency (ms)', s?.latency?.p99 ?? mean(series(SERIES.p99)), 'ms'),
    fig('errors', 'failed requests', s?.failed ?? null),
    fig('error_rate', 'error rate', s?.errorRate ?? mean(series(SERIES.errorRate))),
    // Why they failed, where the run kept it: a refused connection is not a timeout.
    ...FAILURE_REASONS.filter((r) => s?.failuresByReason?.[r]).map((r) =>
      fig(`failed_${r}`, `  failed: ${FAILURE_LABELS[r]}`, s!.failuresByReason![r]),
    ),
    fig('hit_ratio', 'cache hit ratio', s?.hitRatio ?? mean(series(SERIES.redisHitRatio))),
    fig('db_per_request', 'database queries per request', dbq !== null && rps ? dbq / rps : null),
    fig('max_lag', 'max replication lag (s)', s?.maxLagSeconds ?? max(series(SERIES.lagMax)), 's'),
    fig('stale', 'stale reads', s?.staleReads ?? null),
  ];
}

/** The figures worth a delta (counts and durations differ with run length, not with the design). */
const COMPARED = new Set(['rps', 'p50', 'p95', 'p99', 'error_rate', 'hit_ratio', 'db_per_request', 'max_lag', 'stale']);

export function compareRuns(a: RunData, b: RunData): RunComparison {
  const rel = (d: RunData) => new Map(d.timeline.map((p) => [Math.round((p.t - d.timeline[0].t) / 1000), p.v]));
  const ra = rel(a);
  const rb = rel(b);
  const seconds = [...new Set([...ra.keys(), ...rb.keys()])].sort((x, y) => x - y);
  const fb = new Map(runFigures(b).map((f) => [f.key, f.value]));
  return {
    a: a.run.id,
    b: b.run.id,
    aligned: seconds.map((second) => ({ second, a: ra.get(second) ?? {}, b: rb.get(second) ?? {} })),
    deltas: runFigures(a)
      .filter((f) => COMPARED.has(f.key))
      .map(({ key, label: figure, value: x }) => {
        const y = fb.get(key) ?? null;
        const delta = x !== null && y !== null ? y - x : null;
        return { figure, a: x, b: y, delta, change: delta !== null && x ? delta / Math.abs(x) : null };
      }),
    significance: significance(a.timeline, b.timeline),
  };
}
