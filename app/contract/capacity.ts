// Capacity: a sweep of rising arrival rates to the knee (app/core/capacity), as every host shows it.

/** What ended a sweep: the latency objective, the error budget, the load generator falling behind
 *  (the stack was then not what was measured), or the steps running out with everything held. */
export type SweepLimit = 'objective' | 'errors' | 'generator' | 'max-steps';

/** One rate held for a step, judged on its seconds after settling. */
export interface SweepStep {
  /** Requests/s asked (the open model's arrival rate). */
  rate: number;
  /** Seconds into the sweep's run when the step began, and how many it held. */
  startSecond: number;
  seconds: number;
  /** Requests/s completed (mean over the settled seconds). */
  achieved: number;
  /** The objective's series (mean of its per-second values), and p50/p95/p99 the same way (ms). */
  latency: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorRate: number;
  objectiveMet: boolean;
  errorsMet: boolean;
  generatorLimited: boolean;
  generatorReasons: string[];
  /** Where the time went (Server-Timing parts, mean ms). */
  timing: Record<string, number>;
  /** The container with the most CPU (% of a core). */
  busiest: { service: string; cpu: number } | null;
}

export interface SweepRequest {
  workload: string;
  /** A latency objective in k6's syntax: "p(95)<200". */
  objective: string;
  /** The error budget: share of requests that may fail (0.01). */
  maxErrors?: number;
  from?: number;
  factor?: number;
  stepSeconds?: number;
  /** Bisections between the last rate that held and the first that broke. */
  refine?: number;
  maxSteps?: number;
}

export interface SweepResult {
  /** The run the sweep drove (its timeline holds every step; its events the rate changes). */
  runId: string;
  objective: string;
  maxErrors: number;
  steps: SweepStep[];
  /** The highest rate whose step met the objective and the error budget. */
  knee: SweepStep | null;
  limit: SweepLimit;
}
