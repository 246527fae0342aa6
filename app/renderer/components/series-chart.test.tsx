import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../contract/runs.js';
import { hasValues, SeriesChart, StaticChartWidth } from './SeriesChart.js';

const points: TimelinePoint[] = [
  { t: 1000, v: { 'load.rps': 10, 'lag.db-replica-1.seconds': null } },
  { t: 2000, v: { 'load.rps': 12 } },
];

describe('a live chart', () => {
  it('with nothing to draw says so in a line instead of drawing empty axes', () => {
    expect(hasValues(points, [{ key: 'lag.db-replica-1.seconds', name: 'db-replica-1' }])).toBe(false);
    expect(hasValues(points, [{ key: 'load.rps', name: 'completed' }])).toBe(true);
    const html = renderToStaticMarkup(
      <SeriesChart
        title="Replication lag (s)"
        testId="chart-lag"
        points={points}
        series={[{ key: 'lag.x.seconds', name: 'x' }]}
      />,
    );
    expect(html).toContain('data-testid="chart-lag-empty"');
    expect(html).toContain('Nothing measured for this chart in this run yet.');
    expect(html).not.toContain('<svg');
  });

  it('in a report is drawn as it is, empty or not', () => {
    const html = renderToStaticMarkup(
      <StaticChartWidth.Provider value={600}>
        <SeriesChart title="Replication lag (s)" points={points} series={[{ key: 'lag.x.seconds', name: 'x' }]} />
      </StaticChartWidth.Provider>,
    );
    expect(html).toContain('recharts-wrapper');
    expect(html).not.toContain('Nothing measured');
  });
});
