import { describe, expect, it } from 'vitest';
import { scheduleChart } from './chart-scheduler.js';
import { axisNumber, extraLegendRows, markerRows } from './series-layout.js';

const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

describe('chart scheduler', () => {
  it('redraws one chart per frame, and a chart queued twice draws only its newest data', async () => {
    const drawn: string[] = [];
    const a = {};
    const b = {};
    const c = {};
    scheduleChart(a, () => drawn.push('a1'));
    scheduleChart(b, () => drawn.push('b1'));
    scheduleChart(a, () => drawn.push('a2'));
    scheduleChart(c, () => drawn.push('c1'));
    await frame();
    await frame();
    expect(drawn.length).toBeLessThanOrEqual(2);
    for (let i = 0; i < 6 && drawn.length < 3; i++) await frame();
    expect(drawn).toEqual(['a2', 'b1', 'c1']);
  });
});

describe('marker labels', () => {
  const data = Array.from({ length: 101 }, (_, s) => ({ s }));
  const ev = (s: number, label: string) => ({ t: s * 1000, kind: 'fault' as const, label });
  it('take the next row when they would print over the previous label, and row 0 when far apart', () => {
    const rows = markerRows(
      [ev(10, 'cache.enabled: false → true'), ev(12, 'kill api-2'), ev(14, 'x'), ev(90, 'restart api-1')],
      0,
      data,
      500,
    );
    expect(rows.map((r) => r.row)).toEqual([0, 1, 2, 0]);
    expect(rows.map((r) => r.x)).toEqual([10, 12, 14, 90]);
  });
  it('print to the left of their line where they would run past the right edge', () => {
    const rows = markerRows([ev(10, 'kill api-2'), ev(95, 'restart api-1')], 0, data, 500);
    expect(rows.map((r) => r.side)).toEqual(['right', 'left']);
  });
});

describe('axis figures', () => {
  it('keep small rates readable and large counts whole', () => {
    expect([0, 0.0025, 0.01, 12.5, 250, 3200].map(axisNumber)).toEqual(['0', '0.0025', '0.01', '12.5', '250', '3200']);
  });
});

describe("a report chart's legend", () => {
  it('gets room for the rows it wraps onto', () => {
    const names = (xs: string[]) => xs.map((name) => ({ key: name, name }));
    expect(extraLegendRows(names(['p50', 'p95', 'p99']), 520)).toBe(0);
    expect(
      extraLegendRows(
        names(['api-1', 'api-2', 'api-3', 'cache', 'cdn', 'db-primary', 'db-replica-1', 'db-replica-2', 'lb']),
        520,
      ),
    ).toBe(1);
  });
});

describe('live charts updated faster than they draw', () => {
  it('all catch up: a chart re-rendered while queued keeps its place (none starves at the back)', async () => {
    const { render, cleanup } = await import('@testing-library/react');
    const { SeriesChart } = await import('./SeriesChart.js');
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const points = (n: number) => Array.from({ length: n }, (_, t) => ({ t: t * 1000, v: { x: t } }));
    const view = (n: number) => (
      <div>
        {ids.map((id) => (
          <SeriesChart key={id} testId={id} title={id} points={points(n)} series={[{ key: 'x', name: 'x' }]} />
        ))}
      </div>
    );
    const r = render(view(1));
    // A new point every frame: twelve charts cannot all draw each time.
    for (let n = 2; n <= 30; n++) {
      r.rerender(view(n));
      await frame();
    }
    // Still updating: every chart has drawn newer points than its first (in turn, one a frame).
    const during = ids.map((id) => Number(r.getByTestId(id).getAttribute('data-points')));
    for (let i = 0; i < 20; i++) await frame();
    const after = ids.map((id) => r.getByTestId(id).getAttribute('data-points'));
    cleanup();
    expect(during.filter((n) => n <= 1)).toEqual([]);
    expect(after).toEqual(ids.map(() => '30'));
  });
});
