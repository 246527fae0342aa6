import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertMarker, RunEvent } from '../../contract/runs.js';
import { Alerts, alertSpans } from './Alerts.js';

const alert = (t: number, state: AlertMarker['state'], name: string, instance: string | null): RunEvent => ({
  t,
  kind: 'alert',
  label: `alert ${state}: ${name}`,
  detail: { state, name, instance, severity: 'page', summary: `${name} summary`, at: t },
});

describe("a report's alerts", () => {
  const events: RunEvent[] = [
    { t: 500, kind: 'fault', label: 'kill api-2' },
    alert(4000, 'firing', 'TargetDown', 'api-2'),
    alert(6000, 'firing', 'HighErrorRate', null),
    alert(9000, 'resolved', 'TargetDown', 'api-2'),
    alert(12_000, 'firing', 'TargetDown', 'api-2'),
  ];

  it('pairs each firing with its resolution, on the same target; one still firing at the end says so', () => {
    expect(alertSpans(events, 0).map((s) => `${s.name} ${s.instance} ${s.fired}-${s.resolved}`)).toEqual([
      'TargetDown api-2 4-9',
      'HighErrorRate null 6-null',
      'TargetDown api-2 12-null',
    ]);
    const html = renderToStaticMarkup(<Alerts events={events} t0={0} />);
    expect(html).toContain('report-alerts');
    expect(html).toContain('still firing at the end');
    expect(renderToStaticMarkup(<Alerts events={events.slice(0, 1)} t0={0} />)).toBe('');
  });
});
