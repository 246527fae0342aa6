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
import { axisNumber, COLORS, extraLegendRows, markerRows } from './series-layout.js';
import { MemoLegend } from './ChartLegend.js';

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
  // The tooltip only while the pointer is over the chart: mounted, Recharts' tooltip takes part in
  // every redraw of every chart (its store subscriptions), though one is read at a time.
  const [pointed, setPointed] = useState(false);
  const live = staticWidth === null;
  return (
    <div
      className={className ? `chart ${className}` : 'chart'}
      data-testid={props.testId}
      data-points={shown.points.length}
      data-collapsed={collapsed ? 'true' : undefined}
      ref={ref}
      onPointerEnter={live ? () => setPointed(true) : undefined}
      onPointerLeave={live ? () => setPointed(false) : undefined}
    >
      <div className="chart-head">
        <div className="chart-title">{props.title}</div>
        {toolbar}
      </div>
      {collapsed ? null : !live || inView ? (
        <MemoBody {...shown} width={staticWidth} tooltip={live && pointed} />
      ) : (
        <div style={{ height: props.height ?? CHART_HEIGHT }} />
      )}
      {live && !collapsed && <MemoLegend series={props.series} />}
    </div>
  );
}

const CHART_HEIGHT = 180;
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

function ChartBody({
  points,
  series,
  events = [],
  thresholds = [],
  unit = '',
  scale = 1,
  height = CHART_HEIGHT,
  width,
  tooltip = false,
}: SeriesChartProps & { width: number | null; tooltip?: boolean }) {
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
      {tooltip && <Tooltip isAnimationActive={false} labelFormatter={(s) => `${s} s`} />}
      {/* A report's legend sits at the very bottom, under the room its extra rows were given. */}
      {width !== null && <Legend wrapperStyle={{ bottom: 0 }} />}
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
  a: SeriesChartProps & { width?: number | null; tooltip?: boolean },
  b: SeriesChartProps & { width?: number | null; tooltip?: boolean },
): boolean {
  return (
    a.points === b.points &&
    a.tooltip === b.tooltip &&
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
