// While a run measures the stack: Alertmanager asked each second which alerts are active; each
// that fires or resolves becomes a marker of the run, and the count a series.
import type { ServiceStatus } from '../../contract/stack.js';
import type { AlertMarker } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';
import { AlertTracker, readAlerts } from './alerts.js';

export class AlertWatcher {
  private readonly tracker = new AlertTracker();

  constructor(private readonly record: (label: string, marker: AlertMarker) => void) {}

  async series(running: ServiceStatus[]): Promise<Record<string, number>> {
    const am = running.find((s) => s.role === 'alertmanager')?.ports.alerts;
    if (!am) return {};
    const alerts = await readAlerts(`http://${am}`).catch(() => null);
    if (!alerts) return {};
    for (const m of this.tracker.see(alerts, Date.now())) this.record(m.label, m.marker);
    return { [SERIES.alertsFiring]: this.tracker.firing };
  }
}
