// The live switches of the demo API: sent as SCALELAB_CONFIG at container start and
// POSTed to /admin/config by the engine to change them while load runs. This schema is
// the wire contract between app/core (which derives it from the topology) and the API.
import { z } from 'zod';

export const apiConfigSchema = z.object({
  /** Where carts live between requests: this process's memory, or Redis (shared by every instance). */
  sessions: z.enum(['memory', 'redis']),
  /** The origin far from its users: every routed response waits this long first (a round trip). */
  distanceMs: z.number().int().min(0).max(2000),
  /** A per-client limit in Redis, by the client id header (rateLimit.perClient in the topology). */
  rateLimit: z.object({
    enabled: z.boolean(),
    algorithm: z.enum(['fixed-window', 'sliding-window']),
    /** Requests a client may make per window. */
    limit: z.number().int().min(1).max(1_000_000),
    windowSeconds: z.number().int().min(1).max(3600),
    /** Lower-case header name carrying the client id. */
    header: z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/),
  }),
  /** edgeCache.purgeOnWrite: a price change asks the edge (nginx, `cdn`) to forget the product. */
  edge: z.object({ purgeOnWrite: z.boolean() }).default({ purgeOnWrite: false }),
  cache: z.object({
    enabled: z.boolean(),
    strategy: z.enum(['cache-aside', 'write-through', 'write-behind']),
    /** write-behind: how often each worker's flusher drains the queue, and at most how much at once. */
    writeBehind: z
      .object({
        flushIntervalMs: z.number().int().min(50).max(60_000),
        batchSize: z.number().int().min(1).max(1000),
      })
      .default({ flushIntervalMs: 500, batchSize: 200 }),
    ttlSeconds: z.number().int().min(1).max(86_400),
    /** A price change: the product's entry deleted, overwritten with the new row, or left to its TTL. */
    invalidation: z.enum(['invalidate', 'update', 'none']).default('invalidate'),
    /** A stampede's cures (coalesce.ts): concurrent misses of a key share one load, per process or
     *  stack-wide through a lock in Redis; a hit near its expiry refreshes the entry ahead. */
    coalescing: z.enum(['none', 'single-flight', 'redis-lock']).default('none'),
    refreshAhead: z.boolean().default(false),
  }),
  database: z.object({
    /** DNS names of the read replicas the API may read from. */
    replicas: z.array(z.string().min(1)).max(8),
    /** Send reads to replicas (round robin over healthy ones); writes always go to the primary. */
    readFromReplicas: z.boolean(),
    /** After a client writes, its reads go to the primary for this window. */
    readYourWrites: z.boolean(),
    readYourWritesWindowMs: z.number().int().min(0).max(600_000),
    /** Connect through the PgBouncer beside each node (port 6432) instead of to PostgreSQL. */
    pooled: z.boolean(),
    /** database.shards: where orders live (shard-map.ts). A write goes to its product's shard under
     *  (count, mode); reads of orders ask every host, which during a rebalance are the shards of
     *  both layouts (hosts[0] is the primary, DB_PRIMARY). */
    shards: z
      .object({
        hosts: z.array(z.string().min(1)).min(1).max(4),
        count: z.number().int().min(1).max(4),
        mode: z.enum(['hash', 'range']),
      })
      .refine((s) => s.hosts.length >= s.count, { message: 'every shard written to needs a host' }),
  }),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;

/** Response headers every API response carries (lower case, as Node sends them). */
export const API_HEADERS = {
  instance: 'x-instance',
  /** Which worker of the instance answered (one per CPU it may use). */
  worker: 'x-worker',
  cache: 'x-cache',
  dbNode: 'x-db-node',
  stale: 'x-stale-read',
  clientId: 'x-client-id',
  /** On a request refused by the per-client limit: which limit (x-ratelimit-limit and -remaining too). */
  rateLimited: 'x-ratelimit',
  /** The version of the API that answered (its image: v1, or a version built by the engine). */
  version: 'x-version',
  /** On cart responses: new, found, or lost (a session cookie this instance's store did not know). */
  session: 'x-session',
} as const;
