// The running stack as a live graph (React Flow): one node per service with its state, figure,
// sparkline and actions; edges sized and coloured by the traffic measured on them. The layout is
// decided in graph-layout.ts; here it is only drawn, and fitted again when services come or go.
import '@xyflow/react/dist/style.css';
import {
  Position,
  ReactFlow,
  ReactFlowProvider,
  type EdgeTypes,
  type NodeHandle,
  type NodeTypes,
  type Viewport,
} from '@xyflow/react';
import { useThemeContext } from '@radix-ui/themes';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { TimelinePoint } from '../../../contract/runs.js';
import type { FaultKind, StackStatus } from '../../../contract/stack.js';
import { SERIES } from '../../../contract/series.js';
import { CLIENT, graphHeight, layoutEdges, layoutNodes, NODE_H, NODE_W, type GraphNode } from './graph-layout.js';
import { apiTotal, fmt, leaderOf, serviceFigure, sparkSeries } from './service-figures.js';
import { ServiceNode, type ServiceNodeType } from './ServiceNode.js';
import { TrafficEdge, type TrafficEdgeType } from './TrafficEdge.js';

const nodeTypes: NodeTypes = { service: ServiceNode };
const edgeTypes: EdgeTypes = { traffic: TrafficEdge };
const SPARK_SECONDS = 30;
/** Where each node's edges meet it: the middle of its top (in) and of its bottom (out). */
const HANDLES: NodeHandle[] = [
  { type: 'target', position: Position.Top, x: NODE_W / 2, y: 0, width: 1, height: 1 },
  { type: 'source', position: Position.Bottom, x: NODE_W / 2, y: NODE_H, width: 1, height: 1 },
];

interface Props {
  status: StackStatus;
  points: readonly TimelinePoint[];
  onFault?: (service: string, kind: FaultKind) => void;
  onLogs?: (service: string) => void;
  disabled?: boolean;
}

/** The zoom (at most 1) and offset that fit the laid-out graph in a box, centred. */
function fitted(nodes: GraphNode[], width: number, height: number): Viewport {
  const w = Math.max(...nodes.map((n) => n.x)) + NODE_W;
  const h = graphHeight(nodes);
  const pad = 16;
  if (width <= 0) return { x: 0, y: pad, zoom: 1 };
  const zoom = Math.min(1, (width - 2 * pad) / w, (height - 2 * pad) / h);
  return { x: (width - w * zoom) / 2, y: (height - h * zoom) / 2, zoom };
}

/** An element's width, kept up to date. */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

function Graph({ status, points, onFault, onLogs, disabled }: Props) {
  const recent = points.slice(-SPARK_SECONDS);
  const v = recent[recent.length - 1]?.v ?? {};
  const leader = leaderOf(status.services, v);
  const placed = useMemo(() => layoutNodes(status.services, leader), [status.services, leader]);
  const total = apiTotal(status.services, v);
  const nodes: ServiceNodeType[] = placed.map((n) => {
    const spark = n.service ? sparkSeries(n.service) : { key: SERIES.rps, what: 'requests/s answered' };
    return {
      id: n.id,
      type: 'service',
      position: { x: n.x, y: n.y },
      // Fixed sizes and handles: a controlled graph that handled no measuring would keep its nodes
      // hidden, and on a busy machine its edges undrawn (they wait for measured handles).
      width: NODE_W,
      height: NODE_H,
      handles: HANDLES,
      data: {
        name: n.id,
        service: n.service,
        figure: n.service ? serviceFigure(n.service, v, total, status.services) : `${fmt(v[SERIES.rps])} req/s`,
        spark: recent.map((p) => p.v[spark.key] ?? null),
        sparkWhat: spark.what,
        onFault,
        onLogs,
        disabled,
      },
    };
  });
  const edges: TrafficEdgeType[] = layoutEdges(status.services, v).map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: 'traffic',
    data: { edge: e },
  }));
  // The view is computed, not asked of React Flow's fitView: that waits for nodes it has
  // measured, and on a busy machine it fitted nothing (the graph sat unzoomed, half cut off).
  const [box, width] = useWidth<HTMLDivElement>();
  const height = Math.min(760, graphHeight(placed) + 40);
  const viewport = fitted(placed, width, height);
  const { appearance } = useThemeContext();
  return (
    <div
      ref={box}
      className="stack-graph"
      data-testid="stack-diagram"
      style={{ height }}
      aria-label={`the stack: ${placed.filter((n) => n.id !== CLIENT).length} services`}
      role="figure"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        colorMode={appearance === 'dark' ? 'dark' : 'light'}
        viewport={viewport}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        panOnDrag={false}
        zoomOnScroll={false}
        zoomOnPinch={false}
        zoomOnDoubleClick={false}
        preventScrolling={false}
        proOptions={{ hideAttribution: true }}
      />
    </div>
  );
}

/** Re-renders on a new point or status only (the parent re-renders more often). */
export const StackGraph = memo(function StackGraph(props: Props) {
  return (
    <ReactFlowProvider>
      <Graph {...props} />
    </ReactFlowProvider>
  );
});
