// A live chart's legend (SeriesChart.tsx).
import { memo } from 'react';
import { COLORS } from './series-layout.js';
import type { SeriesDef } from './SeriesChart.js';

/** A live chart's legend as plain HTML under the plot: drawn once for its series, where Recharts'
 *  legend is measured and laid out again on every redraw. A report keeps Recharts' (drawn once). */
function ChartLegend({ series }: { series: SeriesDef[] }) {
  return (
    <ul className="chart-legend">
      {series.map((s, i) => (
        <li key={s.key}>
          <span className="chart-swatch" style={{ background: COLORS[i % COLORS.length] }} aria-hidden="true" />
          {s.name}
        </li>
      ))}
    </ul>
  );
}
export const MemoLegend = memo(ChartLegend, (a, b) => JSON.stringify(a.series) === JSON.stringify(b.series));
