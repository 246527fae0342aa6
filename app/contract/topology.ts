// The topology as plain JSON, for every host and the renderer. app/core/topology/schema.ts
// holds the zod schema that validates it; a compile-time check there keeps the two equal.
export const LB_ALGORITHMS = ['roundrobin', 'leastconn', 'random', 'source'] as const;
/** rateLimit.algorithm: how the API's per-client limit counts, in Redis. */
export const CLIENT_LIMIT_ALGORITHMS = ['fixed-window', 'sliding-window'] as const;
/** The API as built; other versions are images built from it (scalelab version build). */
export const BASE_VERSION = 'v1';
export const API_VERSION_NAME = /^v\d[0-9a-z.-]{0,20}$/;
/** api.sessions: where carts live between requests (each instance's memory, or Redis). */
export const SESSION_STORES = ['memory', 'redis'] as const;
/** cache.strategy: how writes meet the cache. write-behind acknowledges an order once it is queued in
 *  Redis and writes it to PostgreSQL later, in batches (stack/api/src/flusher.ts). */
export const CACHE_STRATEGIES = ['cache-aside', 'write-through', 'write-behind'] as const;
/** cache.persistence: Redis keeps nothing on disk, or appends every write to a file (AOF, fsync
 *  each second) and reads it back when it starts again. */
export const CACHE_PERSISTENCE = ['none', 'aof'] as const;
/** cache.invalidation: what a price change does to the product's entry in Redis: deletes it, writes
 *  the new row in its place, or leaves it to its TTL (reads see the old price until then). */
export const CACHE_INVALIDATIONS = ['invalidate', 'update', 'none'] as const;
/** cache.coalescing: concurrent misses of one key share one load, in each process (single-flight)
 *  or across the stack through a lock in Redis (redis-lock); none lets each go to the database. */
export const CACHE_COALESCING = ['none', 'single-flight', 'redis-lock'] as const;
export const EVICTION_POLICIES = [
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-ttl',
  'noeviction',
] as const;
/** PgBouncer runs beside each database node; the API goes through it when the pooler is on. */
export const POOLERS = ['none', 'pgbouncer'] as const;
export const POOL_MODES = ['transaction', 'session'] as const;
/** One etcd member, or three: the quorum lesson (lose two and writes stop). */
export const ETCD_MEMBER_COUNTS = [1, 3] as const;
/** database.sharding: how orders map to shards (stack/api/src/shard-map.ts). */
export const SHARDING_MODES = ['hash', 'range'] as const;
export const MAX_SHARDS = 4;
/** api.autoscale.metric: the instances' mean CPU (% of their limit), or the p95 the load generator measures. */
export const AUTOSCALE_METRICS = ['cpu', 'p95'] as const;
export type AutoscaleMetric = (typeof AUTOSCALE_METRICS)[number];

/** The engine's autoscaler, by the Kubernetes Horizontal Pod Autoscaler's rule (app/core/autoscale). */
export interface Autoscale {
  enabled: boolean;
  min: number;
  max: number;
  metric: AutoscaleMetric;
  /** metric 'cpu': the instances' mean CPU use as % of their limit (the HPA's averageUtilization). */
  targetCpuPercent: number;
  /** metric 'p95': the p95 latency the load generator measures, in ms. */
  targetP95Ms: number;
  /** How often the rule is evaluated (the HPA's sync period is 15 s). */
  periodSeconds: number;
  /** A scale-up waits until every recommendation of this window agrees (the HPA's default is 0). */
  scaleUpStabilizationSeconds: number;
  /** A scale-down goes no lower than the highest recommendation of this window (HPA default 300). */
  scaleDownStabilizationSeconds: number;
}
export type EtcdMembers = (typeof ETCD_MEMBER_COUNTS)[number];
export type Pooler = (typeof POOLERS)[number];
export type PoolMode = (typeof POOL_MODES)[number];
export type LbAlgorithm = (typeof LB_ALGORITHMS)[number];
export type CacheStrategy = (typeof CACHE_STRATEGIES)[number];
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

export interface Topology {
  /** sticky: HAProxy inserts a cookie naming the instance that served a client, and keeps it there. */
  /** securityHeaders: HAProxy adds the usual security headers to every response. */
  /** tls: HAProxy also answers HTTPS (ports.tls), with a certificate it makes for 127.0.0.1. */
  loadBalancer: {
    enabled: boolean;
    algorithm: LbAlgorithm;
    sticky: boolean;
    securityHeaders: boolean;
    tls: boolean;
  };
  api: {
    instances: number;
    cpus: number;
    memoryMb: number;
    sessions: (typeof SESSION_STORES)[number];
    /** The origin far from its users: a round trip (ms) every response the API gives waits first. */
    distanceMs: number;
    /** The API version the instances run (v1, or a version built with `scalelab version build`). */
    version: string;
    autoscale: Autoscale;
  };
  cache: {
    enabled: boolean;
    strategy: CacheStrategy;
    invalidation: (typeof CACHE_INVALIDATIONS)[number];
    coalescing: (typeof CACHE_COALESCING)[number];
    /** A hit in the last fifth of its TTL refreshes the entry in the background. */
    refreshAhead: boolean;
    ttlSeconds: number;
    maxMemoryMb: number;
    evictionPolicy: EvictionPolicy;
    /** write-behind: each API worker drains the queue this often, this many orders at a time at most. */
    flushIntervalMs: number;
    flushBatch: number;
    persistence: (typeof CACHE_PERSISTENCE)[number];
  };
  database: {
    replicas: number;
    replicaApplyDelayMs: number;
    readFromReplicas: boolean;
    readYourWrites: boolean;
    readYourWritesWindowMs: number;
    pooler: Pooler;
    poolSize: number;
    poolMode: PoolMode;
    maxConnections: number;
    indexes: boolean;
    /** Patroni runs the nodes, with their leader key in etcd; HAProxy (db-router) follows the leader. */
    ha: boolean;
    etcdMembers: EtcdMembers;
    /** Patroni's synchronous mode: a commit waits for a synchronous standby (HA only). */
    synchronous: boolean;
    /** Continuous WAL archiving and full backups with pgBackRest (not under HA yet). */
    backups: boolean;
    /** One server: the database on the API's core (both pinned to CPU 0), competing for it. */
    sharesApiCores: boolean;
    /** Primaries the orders are spread over by product (1: not sharded). */
    shards: number;
    sharding: (typeof SHARDING_MODES)[number];
    cpus: number;
    memoryMb: number;
  };
  /** dynamicTtlSeconds: product reads cached at the edge this long (0: static files only);
   *  purgeOnWrite: the API purges a product's edge copy when its price changes. */
  edgeCache: { enabled: boolean; dynamicTtlSeconds: number; purgeOnWrite: boolean };
  /** Prometheus and Alertmanager in the stack, scraping every part every `scrapeSeconds`; the alert
   *  rules are made from `alerts` (each fires once its condition held `forSeconds`), unless `rules`. */
  monitoring: {
    enabled: boolean;
    scrapeSeconds: number;
    alerts: { errorRate: number; p95Ms: number; lagSeconds: number; hitRatioBelow: number; forSeconds: number };
    /** A rules file of the user's own (Prometheus's format) instead of those made from `alerts`. */
    rules: string | null;
    /** PromQL queries charted during a run (each second, from the stack's Prometheus). */
    queries: string[];
  };
  /** enabled/requestsPerSecond: HAProxy's limit per client address. perClient: the API's limit in
   *  Redis per client id (the `clientHeader` request header), `clientLimit` per `windowSeconds`. */
  rateLimit: {
    enabled: boolean;
    requestsPerSecond: number;
    perClient: boolean;
    algorithm: (typeof CLIENT_LIMIT_ALGORITHMS)[number];
    clientLimit: number;
    windowSeconds: number;
    clientHeader: string;
  };
  ports: { entry: number; edge: number; tls: number };
}

/** Any part of a topology; missing fields take their defaults. */
export type TopologyInput = {
  [K in keyof Topology]?: K extends 'api'
    ? Partial<Omit<Topology['api'], 'autoscale'>> & { autoscale?: Partial<Autoscale> }
    : Partial<Topology[K]>;
};

export interface PresetInfo {
  name: string;
  stage: number | null;
  title: string;
  summary: string;
  topology: Topology;
}

export interface TopologyChange {
  field: string;
  from: unknown;
  to: unknown;
  /** 'live': applied while load runs; 'restart': the named services are recreated. */
  kind: 'live' | 'restart';
  services: string[];
  how: string;
}
