// In a report: the autoscaler's rescales during the run, each with the reading that caused it
// and how long the new count took to serve (the lag a spike pays).
import type { AutoscaleMarker, RunEvent } from '../../contract/runs.js';

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
  const rows = rescales(events, t0);
  if (!rows.length) return null;
  return (
    <>
      <h2>Autoscaling</h2>
      <p className="hint">
        The engine applied the Kubernetes Horizontal Pod Autoscaler&apos;s rule to each period&apos;s mean reading:
        desired = ceil(instances × reading / target), nothing within 10% of the target, then held by the scale-up and
        scale-down windows. The last column is the lag between the decision and the new count serving.
      </p>
      <table data-testid="report-autoscaling">
        <thead>
          <tr>
            <th scope="col">at</th>
            <th scope="col">instances</th>
            <th scope="col">reading</th>
            <th scope="col">rule</th>
            <th scope="col">outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.at}:${r.from}:${r.to}`}>
              <td>{r.at} s</td>
              <td>
                {r.from} → {r.to}
              </td>
              <td>{r.reading}</td>
              <td>{r.rule}</td>
              <td>{r.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
