// The LoadEngine port: the built-in engine (builtin-engine.ts) and k6 (k6-engine.ts) both run a
// workload against a target and hand over one LoadWindow per second.
import type { EngineKind, GeneratorSummary, LatencySummary, LoadWindow, ThresholdResult } from '../../contract/load.js';
import type { Workload } from './workload-schema.js';

export interface LoadTarget {
  baseUrl: string;
  edgeUrl?: string | null;
  /** The header virtual users send their client id in (the stack's rateLimit.clientHeader). */
  clientHeader?: string;
  /** For an https baseUrl: the certificate to trust (the balancer's own, PEM). */
  ca?: string;
}

export interface LoadRunOptions {
  workload: Workload;
  target: LoadTarget;
  onWindow: (w: LoadWindow) => void;
}

export interface LoadTotals {
  sent: number;
  completed: number;
  failed: number;
  dropped: number;
  stale: number;
  hits: number;
  misses: number;
}

export interface LoadResult {
  engine: EngineKind;
  startedAt: number;
  endedAt: number;
  totals: LoadTotals;
  /** Failed requests over the whole run, by reason (series.ts FailureReason). */
  failuresByReason: Record<string, number>;
  latency: LatencySummary | null;
  thresholds: ThresholdResult[];
  /** True when stop() ended the run before its profile did. */
  stoppedEarly: boolean;
  /** A run split over several generators: what each did. */
  generators?: GeneratorSummary[];
}

export interface LoadEngine {
  readonly kind: EngineKind;
  run(opts: LoadRunOptions): Promise<LoadResult>;
  /** Changes the target arrival rate while running; null returns to the workload's profile. */
  setRate(rate: number | null): void;
  stop(): void;
}
