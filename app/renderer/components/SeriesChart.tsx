// One live chart: named series over time, every switch and fault as a labelled marker, and
// threshold lines. Animation is off: one point a second must not cost a frame each.
import { useEffect, useRef, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunEvent, TimelinePoint } from '../../contract/runs.js';

export interface SeriesDef { key: string; name: string }
interface Props {
  title: string;
  points: TimelinePoint[];
  series: SeriesDef[];
  events?: RunEvent[];
  thresholds?: Array<{ y: number; label: string; passing: boolean }>;
  unit?: string;
  testId?: string;
  /** Multiplies every value (bytes -> MB). */
  scale?: number;
}

/** Points a chart draws at most: SVG cost grows with points x series; the timeline keeps more. */
export const DRAWN_POINTS = 240;

/** Every k-th point, the newest always kept, so a long run draws as cheaply as a short one. */
export function decimate<T>(points: T[], max = DRAWN_POINTS): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** Whether an element is on screen: charts out of view skip their SVG work (every update would
 *  otherwise redraw all twelve). Without IntersectionObserver everything counts as visible. */
function useInView<T extends Element>(): [React.RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [visible, setVisible] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined' || !ref.current) return;
    const io = new IntersectionObserver(([e]) => setVisible(e.isIntersecting), { rootMargin: '200px' });
    io.observe(ref.current);
    return () => io.disconnect();
  }, []);
  return [ref, visible];
}

export function SeriesChart(props: Props) {
  const [ref, visible] = useInView<HTMLDivElement>();
  return (
    <div className="chart" data-testid={props.testId} data-points={props.points.length} ref={ref}>
      <div className="chart-title">{props.title}</div>
      {visible ? <ChartBody {...props} /> : <div style={{ height: CHART_HEIGHT }} />}
    </div>
  );
}

const CHART_HEIGHT = 180;

function ChartBody({ points, series, events = [], thresholds = [], unit = '', scale = 1 }: Props) {
  const t0 = points[0]?.t ?? 0;
  const data = decimate(points).map((p) => {
    const row: Record<string, number | null> = { s: Math.round((p.t - t0) / 1000) };
    for (const s of series) { const v = p.v[s.key]; row[s.key] = typeof v === 'number' ? v * scale : null; }
    return row;
  });
  return (
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="s" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`} />
          <YAxis width={48} tickFormatter={(v: number) => `${+v.toFixed(2)}${unit}`} />
          <Tooltip isAnimationActive={false} labelFormatter={(s) => `${s} s`} />
          <Legend />
          {series.map((s, i) => <Line key={s.key} dataKey={s.key} name={s.name} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} connectNulls />)}
          {events.map((e) => <ReferenceLine key={`${e.t}-${e.label}`} x={Math.round((e.t - t0) / 1000)} stroke="#9333ea" strokeDasharray="4 2" label={{ value: e.label, position: 'insideTopLeft', fontSize: 10 }} />)}
          {thresholds.map((th) => <ReferenceLine key={th.label} y={th.y} stroke={th.passing ? '#16a34a' : '#dc2626'} strokeDasharray="6 3" label={{ value: th.label, position: 'right', fontSize: 10 }} />)}
        </LineChart>
      </ResponsiveContainer>
  );
}
