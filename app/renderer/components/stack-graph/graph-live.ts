// The graph's live values, apart from its shape: React Flow is handed the same nodes and edges
// until services come or go, and each node and edge reads its figures from this context. Handing
// it new node objects every second made it recompute every node's internals each time.
import { createContext, useContext } from 'react';
import type { TimelinePoint } from '../../../contract/runs.js';
import type { GraphEdge } from './graph-layout.js';

export interface GraphLive {
  /** The last 30 s of points, oldest first (the sparklines). */
  recent: readonly TimelinePoint[];
  /** The newest point's values. */
  v: Record<string, number | null>;
  /** Requests all API instances served this second (for each one's share). */
  apiTotal: number;
  edges: ReadonlyMap<string, GraphEdge>;
}

export const GraphLiveContext = createContext<GraphLive>({ recent: [], v: {}, apiTotal: 0, edges: new Map() });

export const useGraphLive = () => useContext(GraphLiveContext);
