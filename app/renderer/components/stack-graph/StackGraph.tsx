// The running stack as a live graph (React Flow): one node per service with its state, figure,
// sparkline and actions; edges sized and coloured by the traffic measured on them. The layout is
// decided in graph-layout.ts; here it is only drawn, and fitted again when services come or go.
import '@xyflow/react/dist/style.css';
import { ReactFlow, ReactFlowProvider, useReactFlow, type EdgeTypes, type NodeTypes } from '@xyflow/react';
import { useThemeContext } from '@radix-ui/themes';
import { memo, useEffect, useMemo } from 'react';
import type { TimelinePoint } from '../../../contract/runs.js';
import type { FaultKind, StackStatus } from '../../../contract/stack.js';
import { CLIENT, graphHeight, layoutEdges, layoutNodes, NODE_H, NODE_W } from './graph-layout.js';
import { GraphLiveContext, type GraphLive } from './graph-live.js';
import { apiTotal } from './service-figures.js';
import { ServiceNode, type ServiceNodeType } from './ServiceNode.js';
import { TrafficEdge, type TrafficEdgeType } from './TrafficEdge.js';

const nodeTypes: NodeTypes = { service: ServiceNode };
const edgeTypes: EdgeTypes = { traffic: TrafficEdge };
const SPARK_SECONDS = 30;

interface Props {
  status: StackStatus;
  points: readonly TimelinePoint[];
  onFault?: (service: string, kind: FaultKind) => void;
  onLogs?: (service: string) => void;
  disabled?: boolean;
}

function Graph({ status, points, onFault, onLogs, disabled }: Props) {
  const flow = useReactFlow();
  const placed = useMemo(() => layoutNodes(status.services), [status.services]);
  const live = useMemo((): GraphLive => {
    const recent = points.slice(-SPARK_SECONDS);
    const v = recent[recent.length - 1]?.v ?? {};
    return {
      recent,
      v,
      apiTotal: apiTotal(status.services, v),
      edges: new Map(layoutEdges(status.services, v).map((e) => [e.id, e])),
    };
  }, [points, status.services]);
  const nodes = useMemo(
    (): ServiceNodeType[] =>
      placed.map((n) => ({
        id: n.id,
        type: 'service',
        position: { x: n.x, y: n.y },
        // Fixed sizes: a controlled graph that handled no measuring would keep its nodes hidden.
        width: NODE_W,
        height: NODE_H,
        data: { name: n.id, service: n.service, onFault, onLogs, disabled },
      })),
    [placed, onFault, onLogs, disabled],
  );
  // Which edges there are depends on the services alone; what they carry comes from `live`.
  const edges = useMemo(
    (): TrafficEdgeType[] =>
      layoutEdges(status.services, {}).map((e) => ({ id: e.id, source: e.source, target: e.target, type: 'traffic' })),
    [status.services],
  );
  // Services added or removed (an apply, a fault): fit the new shape in view.
  const shape = placed.map((n) => n.id).join(',');
  useEffect(() => {
    const t = setTimeout(() => void flow.fitView({ padding: 0.08, maxZoom: 1 }), 0);
    return () => clearTimeout(t);
  }, [shape, flow]);
  const { appearance } = useThemeContext();
  return (
    <div
      className="stack-graph"
      data-testid="stack-diagram"
      style={{ height: Math.min(760, graphHeight(placed) + 40) }}
      aria-label={`the stack: ${placed.filter((n) => n.id !== CLIENT).length} services`}
      role="figure"
    >
      <GraphLiveContext.Provider value={live}>
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
      </GraphLiveContext.Provider>
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
