import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AutoscaleMarker, RunEvent } from '../../contract/runs.js';
import { Autoscaling, rescales } from './Autoscaling.js';

const base = { metric: 'cpu', target: 50 } as const;
const marker = (t: number, detail: AutoscaleMarker): RunEvent => ({ t, kind: 'autoscale', label: 'x', detail });
const events: RunEvent[] = [
  { t: 1_000, kind: 'switch', label: 'cache.enabled: false → true' },
  marker(14_000, { ...base, phase: 'decided', from: 1, to: 2, reading: 85.4, raw: 2 }),
  marker(16_300, { ...base, phase: 'serving', from: 1, to: 2, reading: 85.4, raw: 2, tookMs: 2_300 }),
  marker(50_000, { ...base, phase: 'decided', from: 2, to: 1, reading: 9, raw: 1 }),
  marker(52_000, { ...base, phase: 'failed', from: 2, to: 1, reading: 9, raw: 1, error: 'engine gone' }),
  marker(80_000, { ...base, phase: 'decided', from: 2, to: 1, reading: 8, raw: 1 }),
];

describe('autoscaling in a report', () => {
  it('pairs each decision with its outcome, and says which had none when the run ended', () => {
    expect(rescales(events, 0)).toEqual([
      { at: 14, from: 1, to: 2, reading: 'CPU 85% vs 50%', rule: 'ceil = 2', outcome: 'serving after 2.3 s' },
      { at: 50, from: 2, to: 1, reading: 'CPU 9% vs 50%', rule: 'ceil = 1', outcome: 'failed: engine gone' },
      {
        at: 80,
        from: 2,
        to: 1,
        reading: 'CPU 8% vs 50%',
        rule: 'ceil = 1',
        outcome: 'not finished when the run ended',
      },
    ]);
  });

  it('draws a table only when the run autoscaled', () => {
    const html = renderToStaticMarkup(<Autoscaling events={events} t0={0} />);
    expect(html).toContain('data-testid="report-autoscaling"');
    expect(html).toContain('<td>1 → 2</td>');
    expect(renderToStaticMarkup(<Autoscaling events={events.slice(0, 1)} t0={0} />)).toBe('');
  });
});
