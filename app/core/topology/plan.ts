// plan(): from a topology to the list of services to run, purely (no Docker here). The runtime
// turns each ServiceSpec into a container; diff() compares topologies field by field.
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';
import { apiName, replicaName, SERVICE } from '../../contract/services.js';
import { databaseServices } from './plan-database.js';
import { monitoringServices } from './plan-monitoring.js';
import { MAX_API_INSTANCES, type Topology } from './schema.js';
import {
  probeFor,
  ROUTER_READ_PORT,
  shardHosts,
  sharedCore,
  writeHost,
  type PlanContext,
  type ServiceSpec,
} from './service-spec.js';

export * from './service-spec.js';

export const API_PORT = 3000;

export { apiName, replicaName };

/** The live switches of the API, as the topology sets them (sent at start and on every change). */
export function apiConfigOf(t: Topology): ApiConfig {
  return {
    sessions: t.api.sessions,
    distanceMs: t.api.distanceMs,
    rateLimit: {
      enabled: t.rateLimit.perClient,
      algorithm: t.rateLimit.algorithm,
      limit: t.rateLimit.clientLimit,
      windowSeconds: t.rateLimit.windowSeconds,
      header: t.rateLimit.clientHeader,
    },
    edge: { purgeOnWrite: t.edgeCache.enabled && t.edgeCache.purgeOnWrite },
    cache: {
      enabled: t.cache.enabled,
      strategy: t.cache.strategy,
      ttlSeconds: t.cache.ttlSeconds,
      invalidation: t.cache.invalidation,
      coalescing: t.cache.coalescing,
      refreshAhead: t.cache.refreshAhead,
      writeBehind: { flushIntervalMs: t.cache.flushIntervalMs, batchSize: t.cache.flushBatch },
    },
    database: {
      // Under HA the router spreads reads over the nodes Patroni calls replicas, whichever they are.
      replicas: t.database.ha
        ? [`${SERVICE.dbRouter}:${ROUTER_READ_PORT}`]
        : Array.from({ length: t.database.replicas }, (_, i) => replicaName(i + 1)),
      readFromReplicas: t.database.readFromReplicas && t.database.replicas > 0,
      readYourWrites: t.database.readYourWrites,
      readYourWritesWindowMs: t.database.readYourWritesWindowMs,
      pooled: t.database.pooler === 'pgbouncer',
      shards: { hosts: shardHosts(t.database.shards), count: t.database.shards, mode: t.database.sharding },
    },
  };
}

export function plan(t: Topology, ctx: PlanContext): ServiceSpec[] {
  const services: ServiceSpec[] = databaseServices(t, ctx);
  if (t.cache.enabled) {
    services.push({
      name: SERVICE.cache,
      role: 'cache',
      env: {
        MAXMEMORY: `${t.cache.maxMemoryMb}mb`,
        EVICTION_POLICY: t.cache.evictionPolicy,
        APPENDONLY: t.cache.persistence === 'aof' ? 'yes' : 'no',
        REDIS_PASSWORD: ctx.redisPassword ?? '',
      },
      ports: [{ container: 6379, host: 0, purpose: 'cache' }],
      aliases: [],
      dependsOn: [],
      probe: probeFor('cache', false),
    });
  }
  const apiConfig = JSON.stringify(apiConfigOf(t));
  for (let i = 1; i <= t.api.instances; i++) {
    const published = !t.loadBalancer.enabled && i === 1;
    services.push({
      name: apiName(i),
      role: 'api',
      env: {
        INSTANCE_NAME: apiName(i),
        PORT: String(API_PORT),
        DB_PRIMARY: writeHost(t),
        // Not the superuser: PostgreSQL keeps its last slots for the engine's readings and probes.
        DB_USER: 'app',
        DB_PASSWORD: ctx.dbPassword,
        DB_NAME: 'scalelab',
        REDIS_HOST: SERVICE.cache,
        REDIS_PASSWORD: ctx.redisPassword ?? '',
        ADMIN_TOKEN: ctx.adminToken,
        SCALELAB_CONFIG: apiConfig,
        SEED_PRODUCTS: String(ctx.seed?.products ?? 10_000),
        SEED_ORDERS: String(ctx.seed?.orders ?? 300_000),
      },
      // The instance that is the entry point is published once, as the entry; the others get a
      // loopback port of their own so the engine can reach /metrics and /admin directly.
      ports: [
        published
          ? { container: API_PORT, host: t.ports.entry, purpose: 'entry' }
          : { container: API_PORT, host: 0, purpose: 'api' },
      ],
      aliases: ['api'],
      version: t.api.version,
      dependsOn: [writeHost(t), ...shardHosts(t.database.shards).slice(1)],
      probe: probeFor('api', published),
      resources: { cpus: t.api.cpus, memoryMb: t.api.memoryMb, ...sharedCore(t) },
    });
  }
  const apiNames = services.filter((s) => s.role === 'api').map((s) => s.name);
  if (t.loadBalancer.enabled) {
    services.push({
      name: SERVICE.lb,
      role: 'lb',
      env: {
        LB_ALGORITHM: t.loadBalancer.algorithm,
        API_PORT: String(API_PORT),
        // Room for a second set of instances beside the first: a blue-green or canary deploy.
        MAX_INSTANCES: String(2 * MAX_API_INSTANCES),
        RATE_LIMIT_RPS: String(t.rateLimit.enabled ? t.rateLimit.requestsPerSecond : 0),
        LB_STICKY: t.loadBalancer.sticky ? '1' : '0',
        LB_SECURITY_HEADERS: t.loadBalancer.securityHeaders ? '1' : '0',
        LB_TLS: t.loadBalancer.tls ? '1' : '0',
      },
      ports: [
        { container: 80, host: t.ports.entry, purpose: 'entry' },
        { container: 8404, host: 0, purpose: 'stats' },
        ...(t.loadBalancer.tls ? [{ container: 443, host: t.ports.tls, purpose: 'tls' as const }] : []),
      ],
      aliases: [],
      dependsOn: apiNames,
      probe: probeFor('lb', true),
    });
  }
  if (t.edgeCache.enabled) {
    services.push({
      name: SERVICE.cdn,
      role: 'cdn',
      env: {
        ORIGIN: t.loadBalancer.enabled ? 'lb:80' : `api:${API_PORT}`,
        DYNAMIC_TTL_SECONDS: String(t.edgeCache.dynamicTtlSeconds),
        // Purges (the API's on a price change, `scalelab purge`) carry the stack's admin token.
        PURGE_TOKEN: ctx.adminToken,
      },
      ports: [{ container: 80, host: t.ports.edge, purpose: 'edge' }],
      aliases: [],
      dependsOn: [t.loadBalancer.enabled ? SERVICE.lb : apiName(1)],
      probe: probeFor('cdn', false),
    });
  }
  return [...services, ...monitoringServices(t, ctx, services)];
}
