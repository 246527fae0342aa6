// One live chart: named series over time, every switch and fault as a labelled marker, and
// threshold lines. Animation is off: one point a second must not cost a frame each.
import { createContext, memo, startTransition, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BaseTickContentProps as TickProps,
} from 'recharts';

import type { RunEvent, TimelinePoint } from '../../contract/runs.js';
import { cancelChart, scheduleChart } from './chart-scheduler.js';

export interface SeriesDef {
  key: string;
  name: string;
  /** Multiplies this series' values, over the chart's own `scale` (bytes -> MB beside a count). */
  scale?: number;
}
export interface SeriesChartProps {
  title: string;
  points: TimelinePoint[];
  series: SeriesDef[];
  events?: RunEvent[];
  thresholds?: Array<{ y: number; label: string; passing: boolean }>;
  unit?: string;
  testId?: string;
  /** Multiplies every value (bytes -> MB). */
  scale?: number;
  /** Plot height in px (an enlarged chart is taller). */
  height?: number;
}

/** How the console's chart grid shows one chart: its buttons, collapsed to its title, wider. */
interface Frame {
  toolbar?: ReactNode;
  collapsed?: boolean;
  className?: string;
}

/** Points a chart draws at most: SVG cost grows with points x series (120 halved the frames
 *  dropped against 240 in npm run bench:console); the timeline keeps more. */
export const DRAWN_POINTS = 120;
/** Live charts share one budget of drawn points across their lines: a chart of eight containers
 *  cost as much as eight charts, and was one long task a second in a real hour-long run. */
export function liveBudget(lines: number): number {
  return Math.max(40, Math.min(DRAWN_POINTS, Math.floor((DRAWN_POINTS * 3) / Math.max(1, lines))));
}

/** A report draws once, so it can afford the detail. */
const STATIC_POINTS = 600;

/** Every k-th point, the newest always kept, so a long run draws as cheaply as a short one. */
export function decimate<T>(points: T[], max = DRAWN_POINTS): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

/** Set by a report: charts draw at this fixed width, all of them, at once (no observer, no resizing). */
export const StaticChartWidth = createContext<number | null>(null);

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

/** The props a chart draws: the newest, but taken in a frame of the chart's own (chart-scheduler.ts).
 *  A static chart (a report) draws what it is given at once. */
function useScheduled(props: SeriesChartProps, live: boolean): SeriesChartProps {
  const [shown, setShown] = useState(props);
  const owner = useRef({});
  // A chart already queued keeps its place and takes the newer data: cancelling on every render
  // sent it to the back of the queue, and at 20 points a second only the first three charts in
  // the page ever drew (the others stayed at their first point). Drawn as a transition: React
  // renders it in slices of a few milliseconds, yielding to the browser between them, so a chart
  // that takes longer than a frame no longer holds one (npm run bench:profile: tasks over 16 ms
  // 29 → 6-9 in 15 s, p99 13.4 → 6.3-9.9 ms).
  useEffect(() => {
    if (live && !sameDrawing(shown, props)) scheduleChart(owner.current, () => startTransition(() => setShown(props)));
  }, [props, live, shown]);
  useEffect(() => {
    const o = owner.current;
    return () => cancelChart(o);
  }, []);
  return live ? shown : props;
}

export function SeriesChart({ toolbar, collapsed = false, className = '', ...props }: SeriesChartProps & Frame) {
  const staticWidth = useContext(StaticChartWidth);
  const [ref, inView] = useInView<HTMLDivElement>();
  const shown = useScheduled(props, staticWidth === null && !collapsed);
  return (
    <div
      className={className ? `chart ${className}` : 'chart'}
      data-testid={props.testId}
      data-points={shown.points.length}
      data-collapsed={collapsed ? 'true' : undefined}
      ref={ref}
    >
      <div className="chart-head">
        <div className="chart-title">{props.title}</div>
        {toolbar}
      </div>
      {collapsed ? null : staticWidth !== null || inView ? (
        <MemoBody {...shown} width={staticWidth} />
      ) : (
        <div style={{ height: props.height ?? CHART_HEIGHT }} />
      )}
    </div>
  );
}

const CHART_HEIGHT = 180;
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

/** An axis label as plain SVG text: Recharts' own Text component measures each label in the DOM
 *  on every redraw to wrap it, and axis labels never wrap. */
function PlainTick({ x, y, fill, className, textAnchor, verticalAnchor, payload, tickFormatter, index }: TickProps) {
  const value = payload.value as number;
  const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'middle' ? '0.355em' : 0;
  return (
    <text x={x} y={y} dy={dy} fill={fill} className={`recharts-text ${className ?? ''}`} textAnchor={textAnchor}>
      {tickFormatter ? tickFormatter(value, index) : value}
    </text>
  );
}

/** An axis figure in at most three significant digits: an error rate of 0.0025 is not "0". */
export const axisNumber = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(+v.toPrecision(3)));

function ChartBody({
  points,
  series,
  events = [],
  thresholds = [],
  unit = '',
  scale = 1,
  height = CHART_HEIGHT,
  width,
}: SeriesChartProps & { width: number | null }) {
  const t0 = points[0]?.t ?? 0;
  // The highest value drawn: a threshold's label goes under its line when the line is high on the
  // plot (over it, it would print into the title) and over it when the line is low.
  let peak = 0;
  const data = decimate(points, width !== null ? STATIC_POINTS : liveBudget(series.length)).map((p) => {
    const row: Record<string, number | null> = { s: Math.round((p.t - t0) / 1000) };
    for (const s of series) {
      const v = p.v[s.key];
      row[s.key] = typeof v === 'number' ? v * (s.scale ?? scale) : null;
      peak = Math.max(peak, row[s.key] ?? 0);
    }
    return row;
  });
  const chart = (
    <LineChart
      data={data}
      margin={{ top: 8, right: 18, bottom: width !== null ? extraLegendRows(series, width) * 20 : 0, left: 0 }}
      {...(width !== null ? { width, height } : {})}
    >
      {/* interval 0 and plain ticks: the axes show the few round ticks they compute; Recharts'
          defaults measure every tick's label in the DOM on each redraw (a fifth of a live
          chart's cost in npm run bench:profile). */}
      <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
      <XAxis
        dataKey="s"
        type="number"
        domain={['dataMin', 'dataMax']}
        allowDecimals={false}
        interval={0}
        tick={PlainTick}
        tickFormatter={(s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`}
      />
      <YAxis width={48} interval={0} tick={PlainTick} tickFormatter={(v: number) => `${axisNumber(v)}${unit}`} />
      {width === null && <Tooltip isAnimationActive={false} labelFormatter={(s) => `${s} s`} />}
      {/* A report's legend sits at the very bottom, under the room its extra rows were given. */}
      <Legend {...(width !== null ? { wrapperStyle: { bottom: 0 } } : {})} />
      {series.map((s, i) => (
        <Line
          key={s.key}
          dataKey={s.key}
          name={s.name}
          stroke={COLORS[i % COLORS.length]}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
      ))}
      {markerRows(events, t0, data, (width ?? 520) - 60).map(({ e, x, row, side }) => (
        <ReferenceLine
          key={`${e.t}-${e.label}`}
          x={x}
          stroke="#9333ea"
          strokeDasharray="4 2"
          label={{
            value: e.label,
            position: side === 'right' ? 'insideTopLeft' : 'insideTopRight',
            fontSize: 10,
            offset: 4 + row * 12,
          }}
        />
      ))}
      {/* A threshold widens the axis to show itself: a latency far under its limit still shows the limit. */}
      {thresholds.map((th) => (
        <ReferenceLine
          key={th.label}
          y={th.y}
          ifOverflow="extendDomain"
          stroke={th.passing ? '#16a34a' : '#dc2626'}
          strokeDasharray="6 3"
          label={{ value: th.label, position: th.y >= peak / 2 ? 'insideTopLeft' : 'insideBottomLeft', fontSize: 10 }}
        />
      ))}
    </LineChart>
  );
  return width !== null ? (
    chart
  ) : (
    <ResponsiveContainer width="100%" height={height}>
      {chart}
    </ResponsiveContainer>
  );
}

/** Whether two sets of props draw the same chart: the page re-renders for many reasons, and
 *  series and threshold lists are rebuilt each time with the same content. */
function sameDrawing(
  a: SeriesChartProps & { width?: number | null },
  b: SeriesChartProps & { width?: number | null },
): boolean {
  return (
    a.points === b.points &&
    a.events === b.events &&
    a.width === b.width &&
    a.unit === b.unit &&
    a.scale === b.scale &&
    a.height === b.height &&
    JSON.stringify(a.series) === JSON.stringify(b.series) &&
    JSON.stringify(a.thresholds) === JSON.stringify(b.thresholds)
  );
}

/** Redraws only when the drawing changes. */
const MemoBody = memo(ChartBody, sameDrawing);
