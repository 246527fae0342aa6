// The topology: what stack the user wants. Validated at every boundary (CLI file, IPC, WebSocket)
// with this one schema; errors name the field (see formatIssues).
import { LabError } from '../../contract/errors.js';
import { z } from 'zod';
import {
  API_VERSION_NAME,
  BASE_VERSION,
  SESSION_STORES,
  CACHE_STRATEGIES,
  CACHE_INVALIDATIONS,
  CACHE_COALESCING,
  CACHE_PERSISTENCE,
  EVICTION_POLICIES,
  LB_ALGORITHMS,
  POOL_MODES,
  POOLERS,
  MAX_SHARDS,
  SHARDING_MODES,
  type Topology as ContractTopology,
} from '../../contract/topology.js';
import { monitoringSchema } from './monitoring-schema.js';
import { AUTOSCALE_DEFAULTS, autoscaleSchema, MAX_API_INSTANCES, rateLimitSchema } from './traffic-schema.js';

export { MAX_API_INSTANCES } from './traffic-schema.js';
export const MAX_REPLICAS = 3;
/** Replicas run with 200 (a hot standby needs at least the primary's max_connections). */
export const MAX_DB_CONNECTIONS = 200;

const port = z.number().int().min(0).max(65_535);

export const topologySchema = z
  .strictObject({
    loadBalancer: z
      .strictObject({
        enabled: z.boolean().default(true),
        algorithm: z.enum(LB_ALGORITHMS).default('roundrobin'),
        /** Sticky sessions: a cookie HAProxy inserts keeps each client on one instance. */
        sticky: z.boolean().default(false),
        /** X-Content-Type-Options, X-Frame-Options, Referrer-Policy, a CSP and HSTS on every response. */
        securityHeaders: z.boolean().default(false),
        /** HTTPS at the balancer too (TLS termination), on ports.tls. */
        tls: z.boolean().default(false),
      })
      .default({ enabled: true, algorithm: 'roundrobin', sticky: false, securityHeaders: false, tls: false }),
    api: z
      .strictObject({
        instances: z.number().int().min(1).max(MAX_API_INSTANCES).default(1),
        /** CPU limit per instance, in cores. */
        cpus: z.number().min(0.1).max(4).default(1),
        memoryMb: z.number().int().min(64).max(4096).default(256),
        /** Where carts live: each instance's memory, or Redis (needs the cache on). */
        sessions: z.enum(SESSION_STORES).default('memory'),
        /** No netem here: the API waits this round trip before each response (an edge hit does not). */
        distanceMs: z.number().int().min(0).max(2000).default(0),
        /** The version every instance runs; changing it rolls them one at a time. */
        version: z
          .string()
          .regex(API_VERSION_NAME, 'a version name: "v", a digit, then letters, digits, dots or dashes')
          .default(BASE_VERSION),
        autoscale: autoscaleSchema,
      })
      .default({
        instances: 1,
        cpus: 1,
        memoryMb: 256,
        sessions: 'memory',
        distanceMs: 0,
        version: BASE_VERSION,
        autoscale: AUTOSCALE_DEFAULTS,
      }),
    cache: z
      .strictObject({
        enabled: z.boolean().default(false),
        strategy: z.enum(CACHE_STRATEGIES).default('cache-aside'),
        invalidation: z.enum(CACHE_INVALIDATIONS).default('invalidate'),
        coalescing: z.enum(CACHE_COALESCING).default('none'),
        refreshAhead: z.boolean().default(false),
        ttlSeconds: z.number().int().min(1).max(86_400).default(60),
        /** Down to a few MB: small enough for a workload's pages to fill it, and eviction to choose. */
        maxMemoryMb: z.number().int().min(2).max(4096).default(64),
        evictionPolicy: z.enum(EVICTION_POLICIES).default('allkeys-lru'),
        flushIntervalMs: z.number().int().min(50).max(60_000).default(500),
        flushBatch: z.number().int().min(1).max(1000).default(200),
        persistence: z.enum(CACHE_PERSISTENCE).default('none'),
      })
      .default({
        enabled: false,
        strategy: 'cache-aside',
        invalidation: 'invalidate',
        coalescing: 'none',
        refreshAhead: false,
        ttlSeconds: 60,
        maxMemoryMb: 64,
        evictionPolicy: 'allkeys-lru',
        flushIntervalMs: 500,
        flushBatch: 200,
        persistence: 'none',
      }),
    database: z
      .strictObject({
        replicas: z.number().int().min(0).max(MAX_REPLICAS).default(0),
        /** recovery_min_apply_delay on every replica: makes replication lag visible on demand. */
        replicaApplyDelayMs: z.number().int().min(0).max(60_000).default(0),
        readFromReplicas: z.boolean().default(true),
        readYourWrites: z.boolean().default(false),
        readYourWritesWindowMs: z.number().int().min(0).max(600_000).default(5_000),
        /** 'pgbouncer': the API connects to the PgBouncer beside each node instead of PostgreSQL. */
        pooler: z.enum(POOLERS).default('none'),
        /** PgBouncer's server connections per database node (default_pool_size). */
        poolSize: z.number().int().min(1).max(100).default(20),
        poolMode: z.enum(POOL_MODES).default('transaction'),
        /** The primary's max_connections (PostgreSQL's default is 100). */
        maxConnections: z.number().int().min(20).max(MAX_DB_CONNECTIONS).default(100),
        /** The indexes the expensive read needs (orders by product, products by category). */
        indexes: z.boolean().default(false),
        /** Patroni runs the nodes (leader key in etcd); HAProxy sends writes to the leader. */
        ha: z.boolean().default(false),
        etcdMembers: z.union([z.literal(1), z.literal(3)]).default(1),
        /** Patroni's synchronous mode: a commit waits for a synchronous standby's flush. */
        synchronous: z.boolean().default(false),
        /** WAL archived continuously to pgBackRest's repository, a full backup taken when switched on. */
        backups: z.boolean().default(false),
        /** One server: the API instances and the database pinned to the same core (cpuset 0). */
        sharesApiCores: z.boolean().default(false),
        /** Primaries the orders are spread over by product id; products are copied to each. */
        shards: z.number().int().min(1).max(MAX_SHARDS).default(1),
        sharding: z.enum(SHARDING_MODES).default('hash'),
        cpus: z.number().min(0.1).max(4).default(1),
        memoryMb: z.number().int().min(128).max(8192).default(512),
      })
      .default({
        replicas: 0,
        replicaApplyDelayMs: 0,
        readFromReplicas: true,
        readYourWrites: false,
        readYourWritesWindowMs: 5_000,
        pooler: 'none',
        poolSize: 20,
        poolMode: 'transaction',
        maxConnections: 100,
        indexes: false,
        ha: false,
        etcdMembers: 1,
        synchronous: false,
        backups: false,
        sharesApiCores: false,
        shards: 1,
        sharding: 'hash',
        cpus: 1,
        memoryMb: 512,
      }),
    edgeCache: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Product reads (GET /products/:id) cached at the edge for this long; 0: static files only. */
        dynamicTtlSeconds: z.number().int().min(0).max(300).default(0),
        /** A price change purges the product's copy at the edge (the API asks nginx), instead of
         *  waiting out its TTL. */
        purgeOnWrite: z.boolean().default(false),
      })
      .default({ enabled: false, dynamicTtlSeconds: 0, purgeOnWrite: false }),
    rateLimit: rateLimitSchema,
    monitoring: monitoringSchema,
    ports: z
      .strictObject({
        /** Host port of the entry point (the load balancer, or the single API instance); 0 = any free port. */
        entry: port.default(8080),
        /** Host port of the edge cache; 0 = any free port. */
        edge: port.default(8081),
        /** Host port of the balancer's HTTPS (loadBalancer.tls); 0 = any free port. */
        tls: port.default(8443),
      })
      .default({ entry: 8080, edge: 8081, tls: 8443 }),
  })
  .superRefine((t, ctx) => {
    const auto = t.api.autoscale;
    if (auto.min > auto.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'autoscale', 'min'],
        message: `autoscale min ${auto.min} is above max ${auto.max}`,
      });
    }
    if (auto.enabled && auto.max > 1 && !t.loadBalancer.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'autoscale', 'enabled'],
        message: 'the autoscaler adds instances behind the load balancer: enable loadBalancer too',
      });
    }
    if (t.rateLimit.perClient && !t.cache.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimit', 'perClient'],
        message: 'the per-client limit counts in Redis: enable the cache (cache.enabled) too',
      });
    }
    if (t.api.sessions === 'redis' && !t.cache.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'sessions'],
        message: 'sessions in Redis need Redis: enable the cache (cache.enabled) too',
      });
    }
    if (t.api.instances > 1 && !t.loadBalancer.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'instances'],
        message: `${t.api.instances} instances need the load balancer (loadBalancer.enabled) to spread requests over them`,
      });
    }
    if (t.rateLimit.enabled && !t.loadBalancer.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['rateLimit', 'enabled'],
        message: 'the rate limit is enforced by the load balancer: enable loadBalancer too',
      });
    }
    if (t.database.ha && t.database.replicas < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'ha'],
        message: 'high availability needs a replica to fail over to: set database.replicas to 1 or more',
      });
    }
    if (t.database.synchronous && !t.database.ha) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'synchronous'],
        message: "a synchronous standby is Patroni's synchronous mode: enable database.ha too",
      });
    }
    if (t.database.backups && t.database.ha) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'backups'],
        message:
          'backups run on the primary without Patroni for now: switch database.ha off to use them (Patroni would restore through its own bootstrap)',
      });
    }
    // Each shard is one primary of its own: replicas, Patroni and backups are per node, and not
    // built for several primaries yet.
    const shardedWith: Array<[on: boolean, what: string]> = [
      [t.database.replicas > 0, 'read replicas: set database.replicas to 0'],
      [t.database.ha, 'high availability: switch database.ha off'],
      [t.database.backups, 'backups: switch database.backups off'],
    ];
    for (const [on, what] of shardedWith)
      if (t.database.shards > 1 && on)
        ctx.addIssue({
          code: 'custom',
          path: ['database', 'shards'],
          message: `${t.database.shards} shards run as single primaries, without ${what} (or shards to 1)`,
        });
    if (t.ports.entry !== 0 && t.ports.entry === t.ports.edge) {
      ctx.addIssue({
        code: 'custom',
        path: ['ports', 'edge'],
        message: `ports.entry and ports.edge are both ${t.ports.entry}`,
      });
    }
    if (t.ports.tls !== 0 && (t.ports.tls === t.ports.entry || t.ports.tls === t.ports.edge)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ports', 'tls'],
        message: `ports.tls ${t.ports.tls} is taken by ports.${t.ports.tls === t.ports.entry ? 'entry' : 'edge'}`,
      });
    }
    if (t.loadBalancer.tls && !t.loadBalancer.enabled) {
      ctx.addIssue({
        code: 'custom',
        path: ['loadBalancer', 'tls'],
        message: 'TLS is terminated at the load balancer: enable loadBalancer too',
      });
    }
  });

export type Topology = z.output<typeof topologySchema>;
export type TopologyInput = z.input<typeof topologySchema>;

export class TopologyError extends LabError {
  constructor(readonly issues: string[]) {
    super(`invalid topology: ${issues.join('; ')}`, 'BAD_INPUT');
    this.name = 'TopologyError';
  }
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Parses and validates a topology, filling defaults; throws a TopologyError naming each bad field. */
export function parseTopology(input: unknown): Topology {
  const res = topologySchema.safeParse(input);
  if (!res.success) throw new TopologyError(formatIssues(res.error));
  return res.data;
}

// The contract declares the same shape by hand (it holds no zod); this line fails to compile
// the day the two drift apart.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const TOPOLOGY_MATCHES_CONTRACT: Same<Topology, ContractTopology> = true;
