// Deploying another API version: rolling (instance by instance), blue-green (a whole second set,
// the balancer switched at once) or canary (the balancer's weights moved step by step, with an
// automatic rollback when the new version does worse than the old one).

export const DEPLOY_STRATEGIES = ['rolling', 'blue-green', 'canary'] as const;
export type DeployStrategy = (typeof DEPLOY_STRATEGIES)[number];

/** Canary steps when none are given: the share of requests the new version takes, in order. */
export const DEFAULT_CANARY_STEPS = [5, 25, 50, 100];

export interface DeployRequest {
  version: string;
  strategy?: DeployStrategy;
  /** Canary only: percentages of traffic, rising, the last one 100. */
  steps?: number[];
  /** How long each canary step (and blue-green's watch after the switch) is held and measured. */
  stepSeconds?: number;
  /** The new version's p95 may be this many times the old one's before it counts as worse... */
  maxP95Ratio?: number;
  /** ...and at least this many milliseconds above it (histogram buckets are coarse at low latency). */
  minP95IncreaseMs?: number;
  /** Its share of 5xx responses may exceed the old one's by this much (0.01: one point). */
  maxErrorRateIncrease?: number;
}

/** One version's requests over a step, read from its instances' own /metrics (who sent them does
 *  not matter: the built-in engine, k6, a browser). */
export interface VersionFigures {
  version: string;
  requests: number;
  /** Share of responses that were 5xx. */
  errorRate: number | null;
  /** From the instances' request-duration histograms, interpolated in the bucket as Prometheus's
   *  histogram_quantile does: ms. */
  p95Ms: number | null;
}

export interface CanaryJudgement {
  verdict: 'pass' | 'worse' | 'too-little-traffic';
  /** Why, in words: the figures and the bound each crossed. */
  reason: string;
  baseline: VersionFigures;
  candidate: VersionFigures;
}

/** The detail of a 'deploy' event: each step of a deploy, as a marker. */
export interface DeployMarker {
  phase: 'started' | 'ready' | 'step' | 'switched' | 'judged' | 'rolled-back' | 'promoted' | 'done' | 'failed';
  strategy: DeployStrategy;
  from: string;
  to: string;
  /** The share of requests the new version is given now (from the balancer's weights), %. */
  percent?: number;
  judgement?: CanaryJudgement;
  /** Since the deploy started. */
  elapsedMs: number;
  error?: string;
}

export interface DeployResult {
  strategy: DeployStrategy;
  from: string;
  to: string;
  /** promoted: every instance runs `to`; rolled-back: every instance runs `from` again. */
  outcome: 'promoted' | 'rolled-back' | 'unchanged';
  durationMs: number;
  markers: DeployMarker[];
  /** What each instance runs at the end. */
  instances: Array<{ name: string; version: string }>;
}
