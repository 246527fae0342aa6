// Capacity: a sweep of rising arrival rates to the knee (app/core/capacity), as every host shows it.
import type { MeasurementVerdict } from './measurement.js';

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
  /** The objective's series (median of its per-second values), and p50/p95/p99 the same way (ms). */
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

/** The detail of a 'sweep' event in the sweep's run: a step judged, then the sweep's end. */
export type SweepMarker =
  | { phase: 'step'; step: SweepStep }
  | { phase: 'done'; objective: string; maxErrors: number; knee: number | null; limit: SweepLimit };

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
  /** The room's prediction of the knee (workshop mode), kept with the sweep's run. */
  prediction?: { metric: 'knee'; value: number };
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

export interface ScalingPoint {
  /** Instances, CPUs or replicas. */
  n: number;
  /** Throughput measured at n (requests/s at the knee). */
  x: number;
}

export interface ScalingFit {
  model: 'usl' | 'amdahl';
  lambda: number;
  sigma: number;
  kappa: number;
  /** Standard errors of λ, σ, κ (κ's is 0 for Amdahl), from the fit's covariance; null with no
   *  degrees of freedom left (as many points as parameters). */
  stdErr: { lambda: number; sigma: number; kappa: number } | null;
  /** Share of the throughput's variance the curve explains. */
  r2: number;
  /** Where throughput peaks: √((1−σ)/κ); null when κ is 0 (it never falls). */
  peakN: number | null;
}

/** Throughput a fitted law gives at n: X(N) = λN / (1 + σ(N−1) + κN(N−1)) (Amdahl's when κ = 0). */
export const scalingAt = (f: Pick<ScalingFit, 'lambda' | 'sigma' | 'kappa'>, n: number) =>
  (f.lambda * n) / (1 + f.sigma * (n - 1) + f.kappa * n * (n - 1));

/** Where a fitted law puts the peak, in words: none (it only flattens), at the first value
 *  already (below 1, which a poor fit can give: more only costs), or at N* with its throughput. */
export function peakWords(f: ScalingFit, field: string): string {
  if (f.peakN === null) return 'throughput only flattens: it never falls as N grows';
  if (f.peakN < 1) return `throughput is highest at ${field} = 1: by this fit more only costs`;
  return `throughput peaks at ${field} ≈ ${f.peakN.toFixed(1)}, about ${scalingAt(f, f.peakN).toFixed(0)} requests/s; past it more only costs`;
}

export interface HeadroomPlan {
  target: number;
  headroom: number;
  /** The fewest N whose predicted throughput, kept to (1 − headroom), carries the target; null
   *  when no N up to `maxN` does (past the peak more instances only lose throughput). */
  instances: number | null;
  /** The same with the fit's throughput 2 standard errors higher and lower: the range the plan
   *  could fall in. */
  optimistic: number | null;
  pessimistic: number | null;
  /** Throughput the fit predicts at `instances`. */
  predicted: number | null;
}

/** The fields a curve may run across: each a count the stack scales by. */
export const CURVE_FIELDS = ['api.instances', 'api.cpus', 'database.replicas'] as const;

/** A sweep repeated across one dimension of the topology (api.instances, api.cpus...). */
export interface CurveRequest extends SweepRequest {
  across: { field: string; values: number[] };
  /** A load to plan for, and the share of capacity to keep free (0.5: run at half). */
  target?: number;
  headroom?: number;
}

export interface CurvePoint {
  value: number;
  sweep: SweepResult;
  /** Requests/s completed at the knee; null when no step held. */
  throughput: number | null;
}

export interface CurveResult {
  /** The curve's own id: it is saved under the data folder as it goes (a point at a time). */
  id: string;
  request: CurveRequest;
  startedAt: number;
  /** When its last sweep ended; null while it runs. */
  endedAt: number | null;
  /** Why it stopped before its last value (the points measured so far are kept); null when whole. */
  error: string | null;
  field: string;
  points: CurvePoint[];
  usl: ScalingFit | null;
  amdahl: ScalingFit | null;
  /** Why a fit was not made (too few knees), when it was not. */
  fitNote: string | null;
  /** The busiest container at each knee: what limited the curve. */
  limitedBy: Array<{ value: number; service: string; cpu: number } | null>;
  /** The machine's cores: on a small host the curve flattens once they are all busy. */
  hostCores: number;
  headroom: HeadroomPlan | null;
}

/** What ended a sweep, in words (the CLI and the report say the same). */
export const SWEEP_LIMIT_WORDS: Record<SweepLimit, string> = {
  objective: 'the latency objective broke',
  errors: 'the error budget broke',
  generator: 'the load generator fell behind: it, not the stack, was the limit',
  'max-steps': 'the steps ran out with every one held: the knee is higher',
};

/** One step's verdict, in words: the generator first (then the stack was not what was measured). */
export const stepVerdict = (s: SweepStep) =>
  s.generatorLimited
    ? 'generator behind'
    : !s.objectiveMet
      ? 'objective broke'
      : !s.errorsMet
        ? 'errors broke'
        : 'held';

/** A curve's report: the curve and, per point, its sweep run's verdict on its own measurement
 *  (null when that run is gone from the data folder). */
export interface CurveReportModel {
  curve: CurveResult;
  measurements: Array<MeasurementVerdict | null>;
  appVersion: string;
  generatedAt: number;
}

export type CurveReportFormat = 'html' | 'pdf' | 'json';
export const CURVE_REPORT_FORMATS: readonly CurveReportFormat[] = ['html', 'pdf', 'json'];
