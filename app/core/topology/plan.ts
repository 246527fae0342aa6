// plan(): from a topology to the list of services to run, purely (no Docker here). The runtime
// turns each ServiceSpec into a container; diff() compares topologies field by field.
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';
import type { Topology } from './schema.js';

export type Role = 'api' | 'lb' | 'cache' | 'db' | 'cdn';

export interface PortSpec {
  container: number;
  /** Host port on 127.0.0.1; 0 = any free port. */
  host: number;
  /** What the port is for; 'entry' and 'edge' are the user-facing URLs. */
  purpose: 'entry' | 'edge' | 'api' | 'stats' | 'db' | 'cache';
}

export interface ServiceSpec {
  /** Unique within the stack: api-1, db-primary, db-replica-2, cache, lb, cdn. */
  name: string;
  role: Role;
  env: Record<string, string>;
  ports: PortSpec[];
  /** Extra DNS names on the stack network (all API instances answer to "api"). */
  aliases: string[];
  dependsOn: string[];
  /** Command run inside the container; exit 0 means healthy. */
  healthCheck: string[];
  resources?: { cpus: number; memoryMb: number };
  /** Named volume mounted at this path (removed with the stack). */
  volumePath?: string;
}

export interface PlanContext {
  /** Random secrets of this stack, kept in the containers' environment. */
  adminToken: string;
  dbPassword: string;
  /** Data set size the API seeds on first start. */
  seed?: { products: number; orders: number };
}

export const API_PORT = 3000;

export const replicaName = (i: number) => `db-replica-${i}`;
export const apiName = (i: number) => `api-${i}`;

/** The live switches of the API, as the topology sets them (sent at start and on every change). */
export function apiConfigOf(t: Topology): ApiConfig {
  return {
    cache: { enabled: t.cache.enabled, strategy: t.cache.strategy, ttlSeconds: t.cache.ttlSeconds },
    database: {
      replicas: Array.from({ length: t.database.replicas }, (_, i) => replicaName(i + 1)),
      readFromReplicas: t.database.readFromReplicas && t.database.replicas > 0,
      readYourWrites: t.database.readYourWrites,
      readYourWritesWindowMs: t.database.readYourWritesWindowMs,
    },
  };
}

export function plan(t: Topology, ctx: PlanContext): ServiceSpec[] {
  const services: ServiceSpec[] = [];
  const dbEnv = { DB_PASSWORD: ctx.dbPassword };
  const dbResources = { cpus: t.database.cpus, memoryMb: t.database.memoryMb };
  const pgReady = ['pg_isready', '-q', '-h', '127.0.0.1', '-U', 'scalelab', '-d', 'scalelab'];

  services.push({
    name: 'db-primary', role: 'db', env: { ...dbEnv, DB_ROLE: 'primary', INSTANCE_NAME: 'db-primary' },
    ports: [{ container: 5432, host: 0, purpose: 'db' }], aliases: [], dependsOn: [],
    healthCheck: pgReady, resources: dbResources, volumePath: '/var/lib/postgresql/data',
  });
  for (let i = 1; i <= t.database.replicas; i++) {
    services.push({
      name: replicaName(i), role: 'db',
      env: { ...dbEnv, DB_ROLE: 'replica', DB_PRIMARY: 'db-primary', INSTANCE_NAME: replicaName(i), APPLY_DELAY_MS: String(t.database.replicaApplyDelayMs) },
      ports: [{ container: 5432, host: 0, purpose: 'db' }], aliases: [], dependsOn: ['db-primary'],
      healthCheck: pgReady, resources: dbResources, volumePath: '/var/lib/postgresql/data',
    });
  }
  if (t.cache.enabled) {
    services.push({
      name: 'cache', role: 'cache', env: { MAXMEMORY: `${t.cache.maxMemoryMb}mb`, EVICTION_POLICY: t.cache.evictionPolicy },
      ports: [{ container: 6379, host: 0, purpose: 'cache' }], aliases: [], dependsOn: [],
      healthCheck: ['redis-cli', 'ping'],
    });
  }
  const apiConfig = JSON.stringify(apiConfigOf(t));
  for (let i = 1; i <= t.api.instances; i++) {
    const published = !t.loadBalancer.enabled && i === 1;
    services.push({
      name: apiName(i), role: 'api',
      env: {
        INSTANCE_NAME: apiName(i), PORT: String(API_PORT), DB_PRIMARY: 'db-primary', DB_USER: 'scalelab',
        DB_PASSWORD: ctx.dbPassword, DB_NAME: 'scalelab', REDIS_HOST: 'cache', ADMIN_TOKEN: ctx.adminToken,
        SCALELAB_CONFIG: apiConfig,
        SEED_PRODUCTS: String(ctx.seed?.products ?? 10_000), SEED_ORDERS: String(ctx.seed?.orders ?? 300_000),
      },
      ports: [{ container: API_PORT, host: 0, purpose: 'api' },
        ...(published ? [{ container: API_PORT, host: t.ports.entry, purpose: 'entry' as const }] : [])],
      aliases: ['api'], dependsOn: ['db-primary'],
      healthCheck: ['curl', '-fsS', '-o', '/dev/null', '--max-time', '2', `http://127.0.0.1:${API_PORT}/healthz`],
      resources: { cpus: t.api.cpus, memoryMb: t.api.memoryMb },
    });
  }
  const apiNames = services.filter((s) => s.role === 'api').map((s) => s.name);
  if (t.loadBalancer.enabled) {
    services.push({
      name: 'lb', role: 'lb',
      env: { LB_ALGORITHM: t.loadBalancer.algorithm, API_PORT: String(API_PORT), MAX_INSTANCES: '8',
        RATE_LIMIT_RPS: String(t.rateLimit.enabled ? t.rateLimit.requestsPerSecond : 0) },
      ports: [{ container: 80, host: t.ports.entry, purpose: 'entry' }, { container: 8404, host: 0, purpose: 'stats' }],
      aliases: [], dependsOn: apiNames,
      // Healthy once HAProxy answers and sees at least one API instance up.
      healthCheck: ['curl', '-fsS', '-o', '/dev/null', '--max-time', '2', 'http://127.0.0.1:80/healthz'],
    });
  }
  if (t.edgeCache.enabled) {
    services.push({
      name: 'cdn', role: 'cdn', env: { ORIGIN: t.loadBalancer.enabled ? 'lb:80' : `api:${API_PORT}` },
      ports: [{ container: 80, host: t.ports.edge, purpose: 'edge' }], aliases: [],
      dependsOn: [t.loadBalancer.enabled ? 'lb' : apiName(1)],
      healthCheck: ['curl', '-fsS', '-o', '/dev/null', '--max-time', '2', 'http://127.0.0.1:80/edge/healthz'],
    });
  }
  return services;
}
