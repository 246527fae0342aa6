// Runs as stored and listed. A run is a folder: run.json + timeline.ndjson (one line per second)
// + events.ndjson (switches, faults, rate changes). Plain JSON, epoch ms.
import type { EngineKind, RunSummary, Workload } from './load.js';
import type { Topology } from './topology.js';
import type { Significance } from './significance.js';
import type { Prediction } from './prediction.js';

export type RunStatus = 'running' | 'passed' | 'failed' | 'stopped' | 'error' | 'aborted';

export interface RunRecord {
  id: string;
  status: RunStatus;
  createdAt: number;
  endedAt: number | null;
  workload: Workload;
  engine: EngineKind;
  /** Why the built-in engine ran when k6 was asked for, and the like. */
  engineNote: string | null;
  topology: Topology | null;
  target: { entryUrl: string; edgeUrl: string | null };
  versions: { app: string; k6: string | null };
  summary: RunSummary | null;
  error: string | null;
  /** The process writing the run: a "running" run whose writer is gone was cut short (aborted). */
  pid: number;
  /** A run recorded by the ScaleLab team and shipped with the app (read-only): a first look without Docker. */
  sample?: boolean;
  /** What the room predicted of one figure before the run (workshop mode). */
  prediction?: Prediction;
}

/** One second of the run: every named series (see series.ts) with its value. */
export interface TimelinePoint {
  t: number;
  v: Record<string, number | null>;
}

/** A point's series in one key order (sorted). Keys arrive in the order requests completed, and
 *  every new order is a new hidden class in V8: 900 points held by the console took 10.6 MB with
 *  orders as they come and 1.3 MB sorted, and a real hour's heap stepped up when orders changed.
 *  Built with Object.fromEntries: a hundred keys set one by one turn the object into a slow
 *  dictionary (the console's frames got worse, not better). Already sorted: returned as it is. */
export function sortedSeries(v: TimelinePoint['v']): TimelinePoint['v'] {
  const keys = Object.keys(v);
  if (keys.every((k, i) => i === 0 || keys[i - 1] < k)) return v;
  return Object.fromEntries(keys.sort().map((k) => [k, v[k]]));
}

export type RunEventKind = 'switch' | 'fault' | 'rate' | 'note' | 'drill' | 'autoscale' | 'deploy' | 'alert' | 'sweep';
export interface RunEvent {
  t: number;
  kind: RunEventKind;
  label: string;
  detail?: unknown;
}

/** The detail of an 'alert' event: an alert of the stack's Prometheus fired, or resolved
 *  (Alertmanager's view; `at` is when it started firing, or when it was seen gone). */
export interface AlertMarker {
  state: 'firing' | 'resolved';
  name: string;
  instance: string | null;
  severity: string | null;
  summary: string;
  at: number;
}

/** The detail of an 'autoscale' event: a rescale decided, its outcome (serving, or failed). */
export interface AutoscaleMarker {
  phase: 'decided' | 'serving' | 'failed';
  from: number;
  to: number;
  metric: 'cpu' | 'p95';
  /** The period's mean reading (CPU % of the limit, or p95 ms) and the target it was held against. */
  reading: number | null;
  target: number;
  /** The rule's own count, ceil(from × reading / target), before clamping and stabilising. */
  raw: number | null;
  /** From the decision to the new count serving, or the removed instances drained (phase 'serving'). */
  tookMs?: number;
  error?: string;
}

export interface RunData {
  run: RunRecord;
  timeline: TimelinePoint[];
  events: RunEvent[];
  dir: string;
}

export interface RunComparison {
  a: string;
  b: string;
  /** Series of both runs aligned on seconds since each run's start. */
  aligned: Array<{ second: number; a: Record<string, number | null>; b: Record<string, number | null> }>;
  deltas: Array<{ figure: string; a: number | null; b: number | null; delta: number | null; change: number | null }>;
  /** Whether each difference is real (throughput, p50/p95/p99, error rate). */
  significance: Significance;
}
