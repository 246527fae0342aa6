// Load DTOs: workloads, the one-second windows both engines produce, runs and their summaries.
// Plain JSON, epoch ms. app/core/load/workload-schema.ts validates Workload (and checks it equals this).
import type { MeasurementVerdict } from './measurement.js';
import type { VersusOutcome } from './prediction.js';

/** `slow` is for calibration: GET /slow?ms=slowMs, a known server-side delay. `cpu` is pure CPU
 *  in the API (GET /hash: PBKDF2, about 5 ms of a core), what vertical scaling is about. */
export type Endpoint =
  | 'cheap-read'
  | 'expensive-read'
  | 'list'
  | 'write'
  | 'read-own-write'
  | 'static'
  | 'slow'
  | 'cpu'
  | 'cart-add'
  | 'cart-read'
  /** GET /products/:id through the edge cache (edgeCache.dynamicTtlSeconds keeps it there). */
  | 'edge-read'
  /** GET /products/:id through the entry point (the API, and its cache when on): its price judged. */
  | 'price-read'
  /** GET /products/:id/page: a product page of about 2 KB (the row and its spec sheet), cached whole. */
  | 'page-read'
  /** A product page of the next id in order past the key space (nine times as many): a scan of
   *  pages the other reads never ask, each asked once a pass. */
  | 'scan-read'
  /** PUT /products/:id with a new price: what makes a price kept at the edge or in Redis stale. */
  | 'price-update';
export const ENDPOINTS: readonly Endpoint[] = [
  'cheap-read',
  'expensive-read',
  'list',
  'write',
  'read-own-write',
  'static',
  'slow',
  'cpu',
  'cart-add',
  'cart-read',
  'edge-read',
  'price-read',
  'page-read',
  'scan-read',
  'price-update',
];

/** How requests pick their product: each as likely (uniform), or a few popular ones most (Zipf). */
export const KEY_DISTRIBUTIONS = ['uniform', 'zipf'] as const;
export type KeyDistribution = (typeof KEY_DISTRIBUTIONS)[number];

export interface RateStage {
  durationSeconds: number;
  targetRate: number;
}

export interface Workload {
  name: string;
  description: string;
  /** Relative weights; endpoints left out get none. */
  mix: Partial<Record<Endpoint, number>>;
  keys: {
    distribution: KeyDistribution;
    /** Zipf exponent s (about 1 gives the 80/20 effect). */ zipfExponent: number;
    /** How many product ids are drawn from. */ keySpace: number;
  };
  /** Either a constant rate for a duration, or stages ramping linearly from the previous target. */
  rate:
    | { kind: 'constant'; rate: number; durationSeconds: number }
    | { kind: 'stages'; startRate: number; stages: RateStage[] };
  /** Pause between a write and the read of it (read-own-write), as a user would. */
  thinkTimeMs: number;
  /** The server-side delay the `slow` endpoint is asked for. */
  slowMs: number;
  /** Virtual users, each with a cookie jar of its own (k6's VUs keep one each): its cart session
   *  and a sticky balancer's cookie follow it. Absent: every arrival is a new client, no cookies. */
  clients?: number;
  /** With clients: the share of arrivals (0..0.95) one client, "noisy", makes; the rest is spread
   *  over the others. Each user sends its id in the stack's client id header. */
  noisyShare?: number;
  /** Over the balancer's HTTPS (the stack's loadBalancer.tls), trusting the certificate it made. */
  tls?: boolean;
  /** false: a new connection for every request (and over HTTPS, a new handshake). Default true. */
  keepAlive?: boolean;
  /** k6 syntax, by metric: { "http_req_duration": ["p(95)<300"], "http_req_failed": ["rate<0.01"] }. */
  thresholds: Record<string, string[]>;
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/** One second of load, as measured by the load engine (the client's view). */
export interface LoadWindow {
  /** Start of the second, epoch ms. */
  t: number;
  targetRate: number;
  /** Requests started, completed (any status), failed (status >= 400 or no response), dropped (never started). */
  sent: number;
  completed: number;
  failed: number;
  dropped: number;
  latency: LatencySummary | null;
  byEndpoint: Record<string, { count: number; failed: number; p95: number }>;
  byStatus: Record<string, number>;
  /** Failed requests by reason (series.ts FailureReason). */
  byFailure: Record<string, number>;
  /** Responses by the API instance that served them (edge hits are not an instance's). */
  byInstance: Record<string, number>;
  byCache: Record<string, number>;
  byDbNode: Record<string, number>;
  /** Cart responses by what the session store knew (x-session: new, found, lost). */
  bySession?: Record<string, number>;
  /** With a noisy client: requests answered by client class (noisy, others), and refused with 429. */
  byClient?: Record<string, { count: number; limited: number }>;
  /** With several load generators (k6 execution segments): what each measured, by its name. */
  byGenerator?: Record<string, { completed: number; failed: number; dropped: number }>;
  /** Responses by the API version that answered (x-version): count, failed, p95 (ms). */
  byVersion?: Record<string, { count: number; failed: number; p95: number }>;
  latencyByCache: Record<string, LatencySummary>;
  /** Mean of each Server-Timing part (cache, db, app) over the second's responses, ms. */
  serverTiming: Record<string, number>;
  stale: number;
  /** Edge reads of a product whose price this generator had changed (the built-in engine judges
   *  them; k6 runs leave these out), and those that showed a price older than its last change. */
  priceReads?: number;
  stalePrices?: number;
  /** The load generator watching itself: a figure measured on a starved generator is not about the stack. */
  generator: {
    lateMsMax: number;
    inFlight: number;
    cpuPercent: number;
    /** Most requests at once that were due but waited for a free connection. */
    waitingMax?: number;
    saturated: boolean;
    reasons: string[];
  };
}

export type EngineKind = 'builtin' | 'k6';

export interface ThresholdResult {
  metric: string;
  expression: string;
  passed: boolean;
  actual: number | null;
}

/** Most k6 generators one run may be split over (each a k6 process or container of its own). */
export const MAX_GENERATORS = 8;

/** One of several load generators of a run (k6 execution segments): its part, and what it measured. */
export interface GeneratorSummary {
  name: string;
  /** k6's --execution-segment, e.g. "1/3:2/3". */
  segment: string;
  requests: number;
  failed: number;
  dropped: number;
  /** k6's exit code (0 ran, 99 thresholds failed on its segment, 105 stopped from outside). */
  exitCode: number;
  /** On a Swarm: the node whose task ran it. */
  node?: string;
}

export interface RunSummary {
  requests: number;
  failed: number;
  dropped: number;
  durationSeconds: number;
  rps: number;
  latency: LatencySummary | null;
  errorRate: number;
  /** Failed requests by reason (series.ts FailureReason); absent in runs recorded before reasons were kept. */
  failuresByReason?: Record<string, number>;
  hitRatio: number | null;
  maxLagSeconds: number | null;
  staleReads: number;
  /** Cart requests whose session the instance that served them did not know (absent in older runs). */
  sessionsLost?: number;
  thresholds: ThresholdResult[];
  thresholdsPassed: boolean;
  /** Whether the generator, not the stack, shaped the figures (absent in runs recorded before). */
  measurement?: MeasurementVerdict;
  /** A sweep's run: the highest rate that held its objective (null: none held). */
  knee?: number | null;
  /** A run predicted against an earlier one: the predicted figure's difference (this − that). */
  versus?: VersusOutcome;
  /** A run split over several load generators: what each did (absent with one). */
  generators?: GeneratorSummary[];
}
