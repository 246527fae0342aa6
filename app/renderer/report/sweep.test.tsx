// A sweep's run in a report: its steps from the run's 'sweep' markers, the knee and what ended it,
// and the hockey stick drawn; nothing for a run that was no sweep.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SweepStep } from '../../contract/capacity.js';
import type { RunEvent } from '../../contract/runs.js';
import { Sweep, sweepOf } from './Sweep.js';

const step = (rate: number, p95: number, held: boolean): SweepStep => ({
  rate,
  startSecond: 0,
  seconds: 8,
  achieved: held ? rate : rate * 0.8,
  latency: p95,
  p50: p95 / 3,
  p95,
  p99: p95 * 1.5,
  errorRate: 0,
  objectiveMet: held,
  errorsMet: true,
  generatorLimited: false,
  generatorReasons: [],
  timing: { app: 5 },
  busiest: { service: 'api-1', cpu: 90 },
});
const events: RunEvent[] = [
  { t: 1, kind: 'rate', label: 'rate: 100/s' },
  { t: 2, kind: 'sweep', label: 'x', detail: { phase: 'step', step: step(50, 20, true) } },
  { t: 3, kind: 'sweep', label: 'x', detail: { phase: 'step', step: step(100, 400, false) } },
  { t: 4, kind: 'sweep', label: 'x', detail: { phase: 'step', step: step(75, 60, true) } },
  {
    t: 5,
    kind: 'sweep',
    label: 'x',
    detail: { phase: 'done', objective: 'p(95)<100', maxErrors: 0.01, knee: 75, limit: 'objective' },
  },
];

describe('a sweep in a report', () => {
  it('reads the steps and the end from the markers', () => {
    const s = sweepOf(events);
    expect(s.steps.map((x) => x.rate)).toEqual([50, 100, 75]);
    expect(s.done).toMatchObject({ knee: 75, limit: 'objective' });
  });

  it('draws the steps, the knee and the curve; nothing for a run that was no sweep', () => {
    const html = renderToStaticMarkup(<Sweep events={events} />);
    expect(html).toContain('data-testid="report-sweep"');
    expect(html).toContain('Knee: 75 requests/s; ended because the latency objective broke');
    expect(html).toContain('<td>objective broke</td>');
    // The curve's SVG is drawn when the report renders for real (render-report-html.tsx: happy-dom).
    expect(html).toContain('data-testid="report-sweep-curve"');
    expect(renderToStaticMarkup(<Sweep events={events.slice(0, 1)} />)).toBe('');
  });
});
