// Where a chart's parts go, purely: marker labels in rows that do not overprint, a report's legend
// rows, axis figures; and the series' colours, shared by the plot and its legend.
import type { RunEvent } from '../../contract/runs.js';
import type { SeriesDef } from './SeriesChart.js';

export const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

const LABEL_ROWS = 4;

/** A marker whose label would print over the previous one's (labels about 5.5 px a character,
 *  on a plot about `plotWidth` px wide) takes the next label row; a label that would run past the
 *  plot's right edge is printed to the left of its line instead. */
export function markerRows(
  events: RunEvent[],
  t0: number,
  data: Array<Record<string, number | null>>,
  plotWidth = 480,
) {
  const first = data[0]?.s ?? 0;
  const span = Math.max(1, (data[data.length - 1]?.s ?? 0) - first);
  const px = (x: number) => ((x - first) / span) * plotWidth;
  const ends: number[] = [];
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => {
      const x = Math.round((e.t - t0) / 1000);
      const at = px(x);
      const width = e.label.length * 5.5 + 6;
      const side: 'right' | 'left' = at + width > plotWidth && at - width >= 0 ? 'left' : 'right';
      const from = side === 'right' ? at : at - width;
      let row = ends.findIndex((end) => end < from);
      if (row < 0) row = ends.length < LABEL_ROWS ? ends.length : 0;
      ends[row] = side === 'right' ? at + width : at;
      return { e, x, row, side };
    });
}

/** Legend rows past the first at a fixed width (about 6 px a character and 30 px of swatch an
 *  item). A report is laid out without a browser, where Recharts cannot measure its legend and
 *  leaves room for one row: nine containers' names printed over the time axis. */
export function extraLegendRows(series: SeriesDef[], width: number): number {
  const total = series.reduce((sum, sd) => sum + sd.name.length * 6 + 30, 0);
  return Math.max(0, Math.ceil(total / Math.max(1, width - 24)) - 1);
}

/** An axis figure in at most three significant digits: an error rate of 0.0025 is not "0". */
export const axisNumber = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(+v.toPrecision(3)));
