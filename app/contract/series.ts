// The one vocabulary of timeline keys: every series a run records, the console charts, the CLI
// prints and a report draws is named here and nowhere else. A key is flat text ("load.p95",
// "load.instance.api-2", "lag.db-replica-1.seconds") so a timeline line stays plain JSON; the
// builders below make keys and the families parse them back.

/** Failed requests by why they failed: an HTTP error class, or what went wrong on the wire. */
export type FailureReason = 'http_4xx' | 'http_5xx' | 'timeout' | 'refused' | 'reset' | 'other';
export const FAILURE_REASONS: readonly FailureReason[] = [
  'http_4xx',
  'http_5xx',
  'timeout',
  'refused',
  'reset',
  'other',
];
export const FAILURE_LABELS: Record<FailureReason, string> = {
  http_4xx: 'HTTP 4xx',
  http_5xx: 'HTTP 5xx',
  timeout: 'timeout',
  refused: 'connection refused',
  reset: 'connection reset',
  other: 'other transport error',
};

/** Keys with no name inside them. */
export const SERIES = {
  // the load, as its generator measured it (the client's view)
  rps: 'load.rps',
  targetRate: 'load.target_rate',
  sent: 'load.sent',
  failed: 'load.failed',
  dropped: 'load.dropped',
  errorRate: 'load.error_rate',
  stale: 'load.stale',
  /** Edge reads of a product whose price the generator changed, and those showing an older price. */
  priceReads: 'load.price_reads',
  stalePrices: 'load.stale_prices',
  hitRatio: 'load.hit_ratio',
  p50: 'load.p50',
  p90: 'load.p90',
  p95: 'load.p95',
  p99: 'load.p99',
  max: 'load.max',
  mean: 'load.mean',
  // the load generator watching itself
  genLateMs: 'gen.late_ms',
  genCpu: 'gen.cpu',
  /** API instances that answered at least one request this second (their x-instance header). */
  instancesServing: 'load.instances_serving',
  genInFlight: 'gen.in_flight',
  genSaturated: 'gen.saturated',
  genWaiting: 'gen.waiting',
  // the stack, read by its own collectors
  dbQueries: 'db.queries',
  /** database.shards: the busiest shard's queries/s over the shards' mean (1 = even, N = all on one). */
  dbShardSkew: 'db.shard_skew',
  apiStaleReads: 'api.stale_reads',
  /** The edge's own count (nginx's access log): cacheable requests answered from what it kept, or
   *  from the origin, a second; and the share it kept. */
  edgeHits: 'edge.hits',
  edgeMisses: 'edge.misses',
  edgeHitRatio: 'edge.hit_ratio',
  redisHits: 'redis.hits',
  redisMisses: 'redis.misses',
  redisHitRatio: 'redis.hit_ratio',
  redisMemory: 'redis.memory_bytes',
  redisEvictions: 'redis.evictions',
  redisKeys: 'redis.keys',
  lagMax: 'lag.max_seconds',
  /** The primary's max_connections setting, beside the connections it holds. */
  dbMaxConnections: 'db.max_connections',
  /** Clients waiting in PgBouncer's queues for a server connection, over every node. */
  poolerWaiting: 'pooler.waiting',
  throttledContainers: 'stack.throttled_containers',
  /** API instances running, as the engine sees the stack (refreshed every 3 s). */
  apiInstances: 'api.instances',
  /** Swarm target: nodes ready and taking tasks, and nodes drained (their tasks moved away). */
  swarmNodesActive: 'swarm.nodes_active',
  swarmNodesDrained: 'swarm.nodes_drained',
  /** api.autoscale: the HPA rule's last count once stabilised, and the reading it came from (CPU % or p95 ms). */
  autoscaleDesired: 'autoscale.desired',
  /** The rule's recommendation before the stabilisation windows (ceil(current × reading / target), clamped). */
  autoscaleRecommended: 'autoscale.recommended',
  autoscaleReading: 'autoscale.reading',
  /** db-primary's timeline (its last checkpoint's): up by one when a restore promotes it. */
  dbTimeline: 'db.timeline',
  /** database.ha: the cluster's timeline (Patroni); it goes up by one at each promotion. */
  haTimeline: 'ha.timeline',
  /** cache.strategy write-behind (metrics/write-behind-ledger.ts): orders acknowledged from the queue,
   *  rows the flushers wrote and orders written directly (Redis down), a second; entries in the
   *  queue (XLEN); acknowledged and not yet in PostgreSQL; and lost (neither there nor queued). */
  writesAcked: 'writes.acked',
  writesFlushed: 'writes.flushed',
  writesDirect: 'writes.direct',
  writesQueued: 'writes.queued',
  writesUnflushed: 'writes.unflushed',
  writesLost: 'writes.lost',
  /** monitoring.enabled: alerts Alertmanager holds active now (fired by the stack's Prometheus). */
  alertsFiring: 'alerts.firing',
} as const;
export type SeriesKey = (typeof SERIES)[keyof typeof SERIES];

/** A family of keys with a name inside: prefix + name + suffix. Names hold no dot. */
export interface SeriesFamily {
  key(name: string): string;
  /** The name inside a key of this family, or null for a key of another. */
  nameOf(key: string): string | null;
}

function family(prefix: string, suffix = ''): SeriesFamily {
  return {
    key: (name) => `${prefix}${name}${suffix}`,
    nameOf: (key) => {
      if (key.length <= prefix.length + suffix.length || !key.startsWith(prefix) || !key.endsWith(suffix)) return null;
      const name = key.slice(prefix.length, key.length - suffix.length);
      return name.includes('.') ? null : name;
    },
  };
}

export type Percentile = 'p50' | 'p95' | 'p99';
export type LagField = 'seconds' | 'bytes' | 'idle' | 'paused';
/** HAProxy's view of a server: requests/s sent, up (1/0), sessions open and requests queued (each
 *  second's snapshot), and its mean response time over its last 1024 requests (ms). */
export type BalancerField = 'rps' | 'up' | 'sessions' | 'queue' | 'rtime';
export type ContainerField = 'cpu' | 'mem' | 'throttled';
/** PgBouncer's pool on one node (SHOW POOLS): clients served or waiting, server connections. */
export type PoolerField = 'clients' | 'waiting' | 'server_active' | 'server_idle' | 'max_wait_ms';

/** Families, by what their name is. */
export const FAMILY = {
  endpointCount: family('load.endpoint.', '.count'),
  endpointP95: family('load.endpoint.', '.p95'),
  /** Responses by HTTP status (0: no response). */
  status: family('load.status.'),
  /** Share of the second's responses that failed for this reason (FailureReason), 0..1. */
  errorRate: family('load.error_rate.'),
  /** Responses an API instance served (an edge hit is the edge's, never an instance's). */
  instance: family('load.instance.'),
  /** Responses by cache result: HIT, MISS, BYPASS, EDGE_HIT, EDGE_MISS... */
  cache: family('load.cache.'),
  dbNode: family('load.db.'),
  /** Cart responses by what the session store knew of their cookie: new, found, lost. */
  session: family('load.session.'),
  /** With a noisy client, by client class (noisy, others): requests answered, and refused with 429. */
  clientCount: family('load.client.', '.count'),
  /** By the API version that answered (x-version): responses and failed responses a second, p95 (ms). */
  versionCount: family('load.version.', '.count'),
  versionFailed: family('load.version.', '.failed'),
  versionP95: family('load.version.', '.p95'),
  clientLimited: family('load.client.', '.limited'),
  /** Server-Timing part (cache, db, app): mean ms. */
  timing: family('load.timing.'),
  /** With several load generators (k6 execution segments): responses each measured, and what each dropped. */
  generatorCount: family('load.generator.', '.count'),
  generatorDropped: family('load.generator.', '.dropped'),
  apiRps: family('api.', '.rps'),
  apiCache: family('api.cache.'),
  dbQueriesOn: family('db.queries.'),
  /** Client connections a database node holds (pg_stat_activity; the engine's own reading one left out). */
  dbConnections: family('db.connections.'),
  poolerWaiting: family('pooler.', '.waiting'),
  poolerServerActive: family('pooler.', '.server_active'),
  lagSeconds: family('lag.', '.seconds'),
  containerCpu: family('container.', '.cpu'),
  /** HAProxy's view of each API instance, by container: sessions open, mean response time (ms). */
  balancerSessions: family('lb.', '.sessions'),
  balancerRtime: family('lb.', '.rtime'),
  /** database.ha: 1 for the node holding Patroni's leader key, 0 for the others (by node name). */
  haLeader: family('ha.leader.'),
  /** database.ha: 1 when an etcd member answers healthy (it sees a leader: the quorum holds), else 0. */
  etcdHealthy: family('etcd.healthy.'),
  /** monitoring.queries: the value of the n-th charted PromQL query, one key per series it answers
   *  ("<n>-<labels>", see queryName). */
  query: family('query.'),
} as const;

/** The name of one series of the n-th charted query: its index, then its labels' values (the
 *  metric name left out), in a key's alphabet. "0-api-1", "1-db-primary-postgres", "2" for a scalar. */
export function queryName(index: number, labels: Record<string, string>): string {
  const values = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => labels[k].replace(/[^\w:-]/g, '_'));
  return [String(index), ...values].join('-');
}

/** The index of the charted query a query series name belongs to, and its label part. */
export function queryOf(name: string): { index: number; series: string } {
  const [i, ...rest] = name.split('-');
  return { index: Number(i), series: rest.join('-') || 'value' };
}

/** Key builders for families with several fields. */
export const seriesKey = {
  latencyByCache: (result: string, p: Percentile) => `load.latency.${result}.${p}`,
  lag: (replica: string, field: LagField) => `lag.${replica}.${field}`,
  /** HAProxy's view of one API instance, named by the service its address belongs to. */
  balancer: (service: string, field: BalancerField) => `lb.${service}.${field}`,
  container: (service: string, field: ContainerField) => `container.${service}.${field}`,
  pooler: (node: string, field: PoolerField) => `pooler.${node}.${field}`,
} as const;

/** Names present in a family over some points (the last `recent` only: names come and go). */
export function namesIn(
  points: ReadonlyArray<{ v: Record<string, unknown> }>,
  fam: SeriesFamily,
  recent = 60,
): string[] {
  const names = new Set<string>();
  for (const p of points.slice(-recent)) {
    for (const k of Object.keys(p.v)) {
      const n = fam.nameOf(k);
      if (n !== null) names.add(n);
    }
  }
  return [...names].sort();
}

/** The cache results nginx reports when it answered from its cache without asking an instance. */
export const EDGE_SERVED = new Set(['EDGE_HIT', 'EDGE_STALE', 'EDGE_UPDATING', 'EDGE_REVALIDATED']);
