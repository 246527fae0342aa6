// A k6-style summary of a run, in the shape `k6 run --summary-export` writes (see
// ../shared/fixtures/k6/summary-export.json): tools that read k6 summaries can read ScaleLab runs.
// Trends carry avg, med, max, p(90), p(95) and p(99) (ScaleLab keeps no minimum); rates carry
// passes/fails/value; thresholds map each expression to whether it FAILED, as k6 writes them.
import type { ReportModel } from '../../contract/reports.js';
import type { RunSummary } from '../../contract/load.js';
import { LabError } from '../runtime/errors.js';

type Metric = Record<string, unknown> & { thresholds?: Record<string, boolean> };

export function k6Summary(model: ReportModel): object {
  if (model.comparison)
    throw new LabError(
      'A k6 summary is of one run.',
      'BAD_INPUT',
      'Leave out --compare, or pick html, pdf, csv or json.',
    );
  const { run } = model.runs[0];
  const s: RunSummary | null = run.summary;
  if (!s)
    throw new LabError(
      `Run ${run.id} has no summary (it ended before one was written).`,
      'RUN_CORRUPT',
      'Export it as csv or json instead: they need only its timeline.',
    );
  const seconds = s.durationSeconds || 1;
  const metrics: Record<string, Metric> = {
    http_reqs: { count: s.requests, rate: s.requests / seconds },
    iterations: { count: s.requests, rate: s.requests / seconds },
    http_req_failed: { passes: s.failed, fails: s.requests - s.failed, value: s.errorRate },
  };
  if (s.dropped) metrics.dropped_iterations = { count: s.dropped, rate: s.dropped / seconds };
  if (s.latency) {
    const l = s.latency;
    metrics.http_req_duration = { avg: l.mean, med: l.p50, max: l.max, 'p(90)': l.p90, 'p(95)': l.p95, 'p(99)': l.p99 };
  }
  // ScaleLab's own figures, as k6 custom metrics would appear: gauges { value, min, max }.
  if (s.hitRatio !== null) metrics.scalelab_cache_hit_ratio = { value: s.hitRatio, min: s.hitRatio, max: s.hitRatio };
  if (s.maxLagSeconds !== null)
    metrics.scalelab_replication_lag_seconds = { value: s.maxLagSeconds, min: 0, max: s.maxLagSeconds };
  metrics.scalelab_stale_reads = { count: s.staleReads, rate: s.staleReads / seconds };
  for (const t of s.thresholds) {
    const m = (metrics[t.metric] ??= {});
    m.thresholds = { ...m.thresholds, [t.expression]: !t.passed };
  }
  return {
    // The root group's id is md5 of its path "", as k6 writes it.
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
    metrics,
  };
}
