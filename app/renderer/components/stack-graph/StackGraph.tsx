// The running stack as a live graph (React Flow): one node per service with its state, figure,
// sparkline and actions; edges sized and coloured by the traffic measured on them. The layout is
// decided in graph-layout.ts; here it is only drawn, and fitted again when services come or go.
import '@xyflow/react/dist/style.css';
import {
  Position,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type EdgeTypes,
  type NodeHandle,
  type NodeTypes,
} from '@xyflow/react';
import { useThemeContext } from '@radix-ui/themes';
import { memo, useEffect, useMemo } from 'react';
import type { TimelinePoint } from '../../../contract/runs.js';
import type { FaultKind, StackStatus } from '../../../contract/stack.js';
import { SERIES } from '../../../contract/series.js';
import { CLIENT, graphHeight, layoutEdges, layoutNodes, NODE_H, NODE_W } from './graph-layout.js';
import { apiTotal, fmt, serviceFigure, sparkSeries } from './service-figures.js';
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

function Graph({ status, points, onFault, onLogs, disabled }: Props) {
  const flow = useReactFlow();
  const recent = points.slice(-SPARK_SECONDS);
  const v = recent[recent.length - 1]?.v ?? {};
  const placed = useMemo(() => layoutNodes(status.services), [status.services]);
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
        figure: n.service ? serviceFigure(n.service, v, total) : `${fmt(v[SERIES.rps])} req/s`,
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
  // Services added or removed (an apply, a fault): fit the new shape in view.
  const shape = placed.map((n) => n.id).join(',');
  const initialized = useNodesInitialized();
  useEffect(() => {
    const t = setTimeout(() => void flow.fitView({ padding: 0.08, maxZoom: 1 }), 0);
    return () => clearTimeout(t);
  }, [shape, flow, initialized]);
  const { appearance } = useThemeContext();
  return (
    <div
      className="stack-graph"
      data-testid="stack-diagram"
      style={{ height: Math.min(760, graphHeight(placed) + 40) }}
      aria-label={`the stack: ${placed.filter((n) => n.id !== CLIENT).length} services`}
      role="figure"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        colorMode={appearance === 'dark' ? 'dark' : 'light'}
        fitView
        fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
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
