// In a report: the autoscaler's rescales during the run, each with the reading that caused it
// and how long the new count took to serve (the lag a spike pays).
import type { AutoscaleMarker, RunEvent } from '../../contract/runs.js';
import { MarkerTable } from './MarkerTable.js';

export interface Rescale {
  at: number;
  from: number;
  to: number;
  reading: string;
  rule: string;
  outcome: string;
}

const isMarker = (d: unknown): d is AutoscaleMarker =>
  !!d && typeof d === 'object' && 'phase' in d && 'from' in d && 'to' in d && 'metric' in d;

/** The run's rescales (pure): each decision paired with the outcome that followed it. */
export function rescales(events: RunEvent[], t0: number): Rescale[] {
  const out: Rescale[] = [];
  for (const e of events) {
    if (e.kind !== 'autoscale' || !isMarker(e.detail)) continue;
    const m = e.detail;
    const unit = m.metric === 'cpu' ? '%' : ' ms';
    const name = m.metric === 'cpu' ? 'CPU' : 'p95';
    if (m.phase === 'decided') {
      out.push({
        at: Math.round((e.t - t0) / 1000),
        from: m.from,
        to: m.to,
        reading: m.reading === null ? 'none' : `${name} ${Math.round(m.reading)}${unit} vs ${m.target}${unit}`,
        rule: m.raw === null ? '–' : `ceil = ${m.raw}`,
        outcome: 'not finished when the run ended',
      });
      continue;
    }
    const last = out.findLast((r) => r.from === m.from && r.to === m.to);
    if (!last) continue;
    last.outcome =
      m.phase === 'serving'
        ? `${m.to > m.from ? 'serving' : 'drained'} after ${((m.tookMs ?? 0) / 1000).toFixed(1)} s`
        : `failed: ${m.error ?? 'unknown'}`;
  }
  return out;
}

export function Autoscaling({ events, t0 }: { events: RunEvent[]; t0: number }) {
  return (
    <MarkerTable
      title="Autoscaling"
      hint="The engine applied the Kubernetes Horizontal Pod Autoscaler's rule to each period's mean reading: desired = ceil(instances × reading / target), nothing within 10% of the target, then held by the scale-up and scale-down windows. The last column is the lag between the decision and the new count serving."
      testId="report-autoscaling"
      columns={['at', 'instances', 'reading', 'rule', 'outcome']}
      rows={rescales(events, t0).map((r) => [`${r.at} s`, `${r.from} → ${r.to}`, r.reading, r.rule, r.outcome])}
    />
  );
}
