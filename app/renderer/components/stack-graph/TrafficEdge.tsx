// An edge of the graph: as wide as the traffic on it, red or amber when what crosses it fails,
// dashed grey to a service that is down. Its figure, where one was measured for this very edge,
// sits on it; the title says what the figure is. It does not move: twenty edges animated every
// frame kept the renderer busy a third of the time in an hour's run (npm run bench:long-run).
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { GraphEdge } from './graph-layout.js';

export type TrafficEdgeType = Edge<{ edge: GraphEdge }, 'traffic'>;

const COLOR: Record<GraphEdge['health'], string> = {
  ok: 'var(--accent-9)',
  warn: 'var(--amber-9)',
  bad: 'var(--red-9)',
  down: 'var(--gray-8)',
};

export function TrafficEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
}: EdgeProps<TrafficEdgeType>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const e = data!.edge;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className="traffic-edge"
        style={{
          stroke: COLOR[e.health],
          strokeWidth: e.width,
          strokeDasharray: e.replication || e.health === 'down' ? '4 4' : undefined,
          opacity: e.label === null && !e.replication ? 0.55 : 0.9,
        }}
      />
      <title>{e.title}</title>
      {e.label && (
        <EdgeLabelRenderer>
          <div
            className="edge-label nodrag nopan"
            title={e.title}
            data-testid={`edge-${e.source}-${e.target}`}
            data-health={e.health}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {e.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
