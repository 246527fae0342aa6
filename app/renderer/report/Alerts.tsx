// In a report: the alerts of the stack's own Prometheus during the run (monitoring.enabled), each
// with when it fired and when it resolved (or that it still fired at the end), from the run's
// 'alert' markers.
import type { AlertMarker, RunEvent } from '../../contract/runs.js';
import { MarkerTable } from './MarkerTable.js';

export interface AlertSpan {
  name: string;
  instance: string | null;
  severity: string | null;
  summary: string;
  /** Seconds into the run. */
  fired: number;
  resolved: number | null;
}

const isMarker = (d: unknown): d is AlertMarker =>
  !!d && typeof d === 'object' && 'state' in d && 'name' in d && 'at' in d;

/** Each firing paired with the resolution of the same alert on the same target (pure). */
export function alertSpans(events: RunEvent[], t0: number): AlertSpan[] {
  const spans: AlertSpan[] = [];
  const open = new Map<string, AlertSpan>();
  for (const e of events) {
    if (e.kind !== 'alert' || !isMarker(e.detail)) continue;
    const m = e.detail;
    const key = `${m.name}@${m.instance ?? ''}`;
    const at = Math.round((e.t - t0) / 1000);
    if (m.state === 'firing') {
      const span = {
        name: m.name,
        instance: m.instance,
        severity: m.severity,
        summary: m.summary,
        fired: at,
        resolved: null,
      };
      spans.push(span);
      open.set(key, span);
    } else {
      const span = open.get(key);
      if (span) span.resolved = at;
      open.delete(key);
    }
  }
  return spans;
}

export function Alerts({ events, t0 }: { events: RunEvent[]; t0: number }) {
  return (
    <MarkerTable
      title="Alerts"
      hint="What the stack's Prometheus fired during the run (its rules: the thresholds, each held for its time before firing), as Alertmanager held them, and when each resolved."
      testId="report-alerts"
      columns={['fired', 'resolved', 'alert', 'on', 'what']}
      rows={alertSpans(events, t0).map((r) => [
        `${r.fired} s`,
        r.resolved === null ? 'still firing at the end' : `${r.resolved} s`,
        `${r.name}${r.severity ? ` (${r.severity})` : ''}`,
        r.instance ?? '–',
        r.summary,
      ])}
    />
  );
}
