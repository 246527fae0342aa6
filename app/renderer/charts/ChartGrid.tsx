// The live charts in a grid the user arranges: drag a chart by its grip (or move it with the
// arrow buttons, from the keyboard), collapse it to its title, enlarge it to the whole width. The
// arrangement is kept in the console's storage.
import { Button, Flex, IconButton, Text } from '@radix-ui/themes';
import { ChevronDown, ChevronLeft, ChevronRight, ChevronUp, GripVertical, Maximize2, Minimize2 } from 'lucide-react';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RunEvent, TimelinePoint } from '../../contract/runs.js';
import type { ChartDef } from '../components/LiveCharts.js';
import { SeriesChart } from '../components/SeriesChart.js';
import {
  defaultLayout,
  moveChart,
  placeChart,
  readLayout,
  toggleCollapsed,
  toggleEnlarged,
  writeLayout,
  type ChartLayout,
} from './chart-layout.js';

const ENLARGED_HEIGHT = 380;
const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage);

function useChartLayout(ids: string[]) {
  const key = ids.join(',');
  const [layout, setLayout] = useState<ChartLayout>(() => readLayout(storage(), ids));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the ids by content, not the array made each render
  useEffect(() => setLayout(readLayout(storage(), ids)), [key]);
  const change = useCallback((next: ChartLayout) => {
    setLayout(next);
    writeLayout(storage(), next);
  }, []);
  return { layout, change, reset: () => change(defaultLayout(ids)) };
}

type Act = (kind: 'earlier' | 'later' | 'enlarge' | 'collapse', id: string) => void;

/** A chart's title-bar tools. Memoized with stable callbacks: the grid re-renders on every point,
 *  and sixty design-system buttons reconciled each time cost frames (npm run bench:console). */
const ChartTools = memo(function ChartTools({
  id,
  title,
  first,
  last,
  collapsed,
  enlarged,
  act,
  onDragStart,
}: {
  id: string;
  title: string;
  first: boolean;
  last: boolean;
  collapsed: boolean;
  enlarged: boolean;
  act: Act;
  onDragStart: (id: string | null) => void;
}) {
  return (
    <Flex gap="1" align="center" className="chart-tools">
      <span
        className="chart-grip"
        draggable
        title="drag to move"
        aria-hidden="true"
        onDragStart={(e) => {
          e.dataTransfer.setData('text/plain', id);
          e.dataTransfer.effectAllowed = 'move';
          onDragStart(id);
        }}
        onDragEnd={() => onDragStart(null)}
      >
        <GripVertical size={14} />
      </span>
      <IconButton
        size="1"
        variant="ghost"
        disabled={first}
        aria-label={`move ${title} earlier`}
        onClick={() => act('earlier', id)}
      >
        <ChevronLeft size={14} />
      </IconButton>
      <IconButton
        size="1"
        variant="ghost"
        disabled={last}
        aria-label={`move ${title} later`}
        onClick={() => act('later', id)}
      >
        <ChevronRight size={14} />
      </IconButton>
      <IconButton
        size="1"
        variant="ghost"
        aria-label={`${enlarged ? 'shrink' : 'enlarge'} ${title}`}
        aria-pressed={enlarged}
        data-testid={`enlarge-${id}`}
        onClick={() => act('enlarge', id)}
      >
        {enlarged ? <Minimize2 size={14} /> : <Maximize2 size={14} />}
      </IconButton>
      <IconButton
        size="1"
        variant="ghost"
        aria-label={`${collapsed ? 'expand' : 'collapse'} ${title}`}
        aria-expanded={!collapsed}
        data-testid={`collapse-${id}`}
        onClick={() => act('collapse', id)}
      >
        {collapsed ? <ChevronDown size={14} /> : <ChevronUp size={14} />}
      </IconButton>
    </Flex>
  );
});

export function ChartGrid({ defs, points, events }: { defs: ChartDef[]; points: TimelinePoint[]; events: RunEvent[] }) {
  const ids = useMemo(() => defs.map((d) => d.id), [defs]);
  const { layout, change, reset } = useChartLayout(ids);
  const [dragging, setDragging] = useState<string | null>(null);
  // The tools act on the layout as it is when clicked, through one callback that never changes.
  const current = useRef(layout);
  current.current = layout;
  const act = useCallback<Act>(
    (kind, id) => {
      const l = current.current;
      change(
        kind === 'earlier'
          ? moveChart(l, id, -1)
          : kind === 'later'
            ? moveChart(l, id, 1)
            : kind === 'enlarge'
              ? toggleEnlarged(l, id)
              : toggleCollapsed(l, id),
      );
    },
    [change],
  );
  const byId = new Map(defs.map((d) => [d.id, d]));
  const arranged = layout.order.length > 0 && JSON.stringify(layout) !== JSON.stringify(defaultLayout(ids));
  return (
    <Flex direction="column" gap="2">
      <Flex align="center" gap="3">
        <Text size="1" color="gray">
          Drag a chart by its grip, or use its arrows; collapse or enlarge it from its title bar.
        </Text>
        {arranged && (
          <Button size="1" variant="ghost" onClick={reset} data-testid="charts-reset">
            Reset the layout
          </Button>
        )}
      </Flex>
      <div className="charts" data-testid="chart-grid">
        {layout.order.map((id, i) => {
          const d = byId.get(id);
          if (!d) return null;
          const { id: _id, title, ...rest } = d;
          const collapsed = layout.collapsed.includes(id);
          const enlarged = layout.enlarged === id;
          return (
            <div
              key={id}
              className={`chart-cell${enlarged ? ' chart-enlarged' : ''}${dragging === id ? ' chart-dragging' : ''}`}
              onDragOver={(e) => {
                if (dragging) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragging) change(placeChart(layout, dragging, id));
                setDragging(null);
              }}
            >
              <SeriesChart
                {...rest}
                title={title}
                points={points}
                events={events}
                collapsed={collapsed}
                height={enlarged ? ENLARGED_HEIGHT : undefined}
                toolbar={
                  <ChartTools
                    id={id}
                    title={title}
                    first={i === 0}
                    last={i === layout.order.length - 1}
                    collapsed={collapsed}
                    enlarged={enlarged}
                    act={act}
                    onDragStart={setDragging}
                  />
                }
              />
            </div>
          );
        })}
      </div>
    </Flex>
  );
}
