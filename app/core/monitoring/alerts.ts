// Alerts as Alertmanager holds them (GET /api/v2/alerts), and what changed since the last look:
// an alert that appears has fired, one that is gone has resolved. Parsing and tracking are pure;
// readAlerts is the one HTTP call.
import { z } from 'zod';
import type { AlertMarker } from '../../contract/runs.js';
import { fetchText } from '../metrics/fetch-text.js';

const alertSchema = z.object({
  fingerprint: z.string(),
  startsAt: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  status: z.object({ state: z.string() }).optional(),
});
const alertsSchema = z.array(alertSchema);

export interface ActiveAlert {
  fingerprint: string;
  name: string;
  /** The target it is about (a scrape target's service name), when the rule has one. */
  instance: string | null;
  severity: string | null;
  summary: string;
  startsAt: number;
}

export function parseAlerts(json: unknown): ActiveAlert[] {
  return alertsSchema.parse(json).map((a) => ({
    fingerprint: a.fingerprint,
    name: a.labels.alertname ?? '(unnamed)',
    instance: a.labels.instance ?? null,
    severity: a.labels.severity ?? null,
    summary: a.annotations.summary ?? '',
    startsAt: Date.parse(a.startsAt),
  }));
}

/** The alerts active now (not silenced, not inhibited), from Alertmanager at `baseUrl`; null when
 *  it does not answer (a look that failed says nothing about what resolved). */
export async function readAlerts(baseUrl: string, timeoutMs = 2000): Promise<ActiveAlert[] | null> {
  const text = await fetchText(`${baseUrl}/api/v2/alerts?active=true&silenced=false&inhibited=false`, timeoutMs);
  return text === null ? null : parseAlerts(JSON.parse(text));
}

export const alertLabel = (a: ActiveAlert, state: 'firing' | 'resolved') =>
  `alert ${state}: ${a.name}${a.instance ? ` (${a.instance})` : ''}`;

/** Remembers the alerts seen last; each look gives the markers of what fired and what resolved. */
export class AlertTracker {
  private active = new Map<string, ActiveAlert>();

  see(now: ActiveAlert[], at: number): Array<{ label: string; marker: AlertMarker }> {
    const out: Array<{ label: string; marker: AlertMarker }> = [];
    const seen = new Map(now.map((a) => [a.fingerprint, a]));
    for (const a of now)
      if (!this.active.has(a.fingerprint))
        out.push({ label: alertLabel(a, 'firing'), marker: marker(a, 'firing', a.startsAt) });
    for (const [fp, a] of this.active)
      if (!seen.has(fp)) out.push({ label: alertLabel(a, 'resolved'), marker: marker(a, 'resolved', at) });
    this.active = seen;
    return out;
  }

  get firing(): number {
    return this.active.size;
  }
}

function marker(a: ActiveAlert, state: AlertMarker['state'], at: number): AlertMarker {
  return { state, name: a.name, instance: a.instance, severity: a.severity, summary: a.summary, at };
}
