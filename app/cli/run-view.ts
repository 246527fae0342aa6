// What `scalelab run` prints: a live line once a second, then a summary table with thresholds.
import { FAILURE_LABELS, FAILURE_REASONS, SERIES } from '../contract/series.js';
import type { RunRecord, TimelinePoint } from '../contract/runs.js';
import { verdictLine } from '../contract/measurement.js';
import { predictionLine } from '../contract/prediction.js';

const fmt = (v: number | null | undefined, digits = 1, unit = '') =>
  typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)}${unit}` : '-';

export function liveLine(p: TimelinePoint, second: number): string {
  const v = p.v;
  const hit = v[SERIES.redisHitRatio] ?? v[SERIES.hitRatio];
  const parts = [
    `${String(second).padStart(4)}s`,
    `rate ${fmt(v[SERIES.rps], 0)}/${fmt(v[SERIES.targetRate], 0)}`,
    `p95 ${fmt(v[SERIES.p95], 1, ' ms')}`,
    `errors ${fmt(percent(v[SERIES.errorRate]), 1, '%')}`,
    `hit ${fmt(hit, 2)}`,
    `lag ${fmt(v[SERIES.lagMax], 2, ' s')}`,
  ];
  if (v[SERIES.genSaturated]) parts.push('[load generator saturated: figures are about it, not the stack]');
  return parts.join('  ');
}

export function summaryTable(r: RunRecord): string {
  const s = r.summary;
  const distorted = s?.measurement?.verdict === 'distorted' ? ' (MEASUREMENT DISTORTED)' : '';
  const lines = [`run ${r.id}: ${r.status.toUpperCase()}${distorted}${r.error ? ` — ${r.error}` : ''}`];
  if (r.engineNote) lines.push(`engine: ${r.engine} (${r.engineNote})`);
  if (!s) return lines.join('\n');
  const rows: Array<[string, string]> = [
    ['requests', `${s.requests} in ${s.durationSeconds} s (${s.rps}/s)`],
    ['failed', `${s.failed} (${(s.errorRate * 100).toFixed(2)}%)`],
    ...FAILURE_REASONS.filter((r) => s.failuresByReason?.[r]).map((r): [string, string] => [
      `  ${FAILURE_LABELS[r]}`,
      String(s.failuresByReason![r]),
    ]),
    ['dropped', String(s.dropped)],
    [
      'latency p50 / p90 / p95 / p99 / max',
      s.latency
        ? [s.latency.p50, s.latency.p90, s.latency.p95, s.latency.p99, s.latency.max]
            .map((x) => `${x.toFixed(1)}`)
            .join(' / ') + ' ms'
        : '-',
    ],
    ['cache hit ratio', fmt(s.hitRatio, 3)],
    ['max replication lag', fmt(s.maxLagSeconds, 3, ' s')],
    ['stale reads', String(s.staleReads)],
  ];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(36)} ${v}`);
  if (s.generators) {
    lines.push(`generators (k6 execution segments):`);
    for (const g of s.generators)
      lines.push(
        `  ${g.name.padEnd(6)} ${g.segment.padEnd(9)} ${g.requests} responses, ${g.failed} failed, ${g.dropped} dropped (exit ${g.exitCode})${g.node ? `, on ${g.node}` : ''}`,
      );
  }
  if (s.measurement) lines.push(`measurement: ${verdictLine(s.measurement)}`);
  if (r.prediction) lines.push(`prediction: ${predictionLine(r.prediction, s)}`);
  if (s.thresholds.length) {
    lines.push('thresholds:');
    for (const t of s.thresholds)
      lines.push(`  ${t.passed ? '✓' : '✗'} ${t.metric} ${t.expression}  (actual ${fmt(t.actual, 3)})`);
  }
  return lines.join('\n');
}

/** "30", "30s", "2m", "1h" -> seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration: e.g. 30s, 2m, 1h`);
  return Math.round(Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1));
}

const percent = (x: number | null | undefined) => (typeof x === 'number' ? x * 100 : null);
