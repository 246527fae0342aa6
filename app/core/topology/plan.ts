// plan(): from a topology to the list of services to run, purely (no Docker here). The runtime
// turns each ServiceSpec into a container; diff() compares topologies field by field.
import type { ApiConfig } from '../../../stack/api/src/admin-config.js';
import { apiName, etcdName, replicaName, SERVICE } from '../../contract/services.js';
import { MAX_REPLICAS, type Topology } from './schema.js';

export type Role = 'api' | 'lb' | 'cache' | 'db' | 'cdn' | 'etcd' | 'dbrouter';

export interface PortSpec {
  container: number;
  /** Host port on 127.0.0.1; 0 = any free port. */
  host: number;
  /** What the port is for; 'entry' and 'edge' are the user-facing URLs. */
  purpose: 'entry' | 'edge' | 'api' | 'stats' | 'db' | 'pooler' | 'metrics' | 'cache' | 'patroni' | 'etcd';
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
  /** How the engine tells the service is healthy, through the published port of that purpose. */
  probe: Probe;
  resources?: { cpus: number; memoryMb: number };
  /** Named volume mounted at this path (removed with the service, or with the stack). */
  volumePath?: string;
  /** Named volumes that outlive the service (removed with the stack): pgBackRest's repository. */
  sharedVolumes?: Array<{ name: string; path: string }>;
}

/** pgBackRest's repository (database.backups): a volume of its own, as a backup belongs on another
 *  disk than the database it saves; it survives the primary's container and volume. */
export const BACKUP_REPO = { name: 'backup-repo', path: '/var/lib/pgbackrest' } as const;

export type Probe =
  | { kind: 'http'; purpose: PortSpec['purpose']; path: string }
  | { kind: 'redis'; purpose: 'cache' }
  | { kind: 'postgres'; purpose: 'db' };

/** Under HA a node is up when Patroni says its PostgreSQL runs (a replica answers pg_isready
 *  before Patroni has finished cloning it). */
const PATRONI_HEALTH: Probe = { kind: 'http', purpose: 'patroni', path: '/health' };

/** The probe of a service of a role: also used by `status` for containers it only knows by role
 *  (`patroni`: the node publishes Patroni's REST API, database.ha). */
export function probeFor(role: Role, isEntry: boolean, patroni = false): Probe {
  if (role === 'db' && patroni) return PATRONI_HEALTH;
  switch (role) {
    // The router is healthy when it reaches a leader: pg_isready through its write port.
    case 'db':
    case 'dbrouter':
      return { kind: 'postgres', purpose: 'db' };
    case 'etcd':
      return { kind: 'http', purpose: 'etcd', path: '/health' };
    case 'cache':
      return { kind: 'redis', purpose: 'cache' };
    case 'cdn':
      return { kind: 'http', purpose: 'edge', path: '/edge/healthz' };
    // The balancer's /healthz reaches an API instance: healthy means it routes to one that is up.
    case 'lb':
      return { kind: 'http', purpose: 'entry', path: '/healthz' };
    case 'api':
      return { kind: 'http', purpose: isEntry ? 'entry' : 'api', path: '/healthz' };
  }
}

export interface PlanContext {
  /** Random secrets of this stack, kept in the containers' environment. */
  adminToken: string;
  dbPassword: string;
  /** Redis's password (requirepass): other local users can reach its loopback port. Empty: none. */
  redisPassword?: string;
  /** Data set size the API seeds on first start. */
  seed?: { products: number; orders: number };
}

export const API_PORT = 3000;

export { apiName, replicaName };

/** database.ha: the router's ports. Pooled, each is the same port plus 1000 (PgBouncer's 6432). */
export const ROUTER_WRITE_PORT = 5432;
export const ROUTER_READ_PORT = 5433;

/** Where the API writes: the primary, or under HA the router's write port (the leader, wherever it is). */
export const writeHost = (t: Topology) => (t.database.ha ? SERVICE.dbRouter : SERVICE.primary);

/** The live switches of the API, as the topology sets them (sent at start and on every change). */
export function apiConfigOf(t: Topology): ApiConfig {
  return {
    cache: { enabled: t.cache.enabled, strategy: t.cache.strategy, ttlSeconds: t.cache.ttlSeconds },
    database: {
      // Under HA the router spreads reads over the nodes Patroni calls replicas, whichever they are.
      replicas: t.database.ha
        ? [`${SERVICE.dbRouter}:${ROUTER_READ_PORT}`]
        : Array.from({ length: t.database.replicas }, (_, i) => replicaName(i + 1)),
      readFromReplicas: t.database.readFromReplicas && t.database.replicas > 0,
      readYourWrites: t.database.readYourWrites,
      readYourWritesWindowMs: t.database.readYourWritesWindowMs,
      pooled: t.database.pooler === 'pgbouncer',
    },
  };
}

export function plan(t: Topology, ctx: PlanContext): ServiceSpec[] {
  const services: ServiceSpec[] = [];
  const dbEnv = {
    DB_PASSWORD: ctx.dbPassword,
    POOL_SIZE: String(t.database.poolSize),
    POOL_MODE: t.database.poolMode,
  };
  const dbResources = { cpus: t.database.cpus, memoryMb: t.database.memoryMb };
  const pgReady = probeFor('db', false, t.database.ha);
  const ha = t.database.ha;
  const etcd = ha ? Array.from({ length: t.database.etcdMembers }, (_, i) => etcdName(i + 1)) : [];
  // Under Patroni each node bootstraps or joins the cluster whose leader key is in etcd.
  const haEnv: Record<string, string> = ha
    ? {
        HA: '1',
        ETCD_HOSTS: etcd.map((n) => `${n}:2379`).join(','),
        SYNCHRONOUS: String(t.database.synchronous),
        MAX_CONNECTIONS: String(t.database.maxConnections),
      }
    : {};
  for (const name of etcd) {
    services.push({
      name,
      role: 'etcd',
      env: { INSTANCE_NAME: name, ETCD_MEMBERS: etcd.join(',') },
      ports: [{ container: 2379, host: 0, purpose: 'etcd' }],
      aliases: [],
      // Members wait for each other to form the cluster: they start together.
      dependsOn: [],
      probe: probeFor('etcd', false),
    });
  }
  // PgBouncer's port is published too (the engine reads its pools, SHOW POOLS, each second), and
  // postgres_exporter's, for a Prometheus of the user's own.
  const dbPorts: PortSpec[] = [
    { container: 5432, host: 0, purpose: 'db' },
    { container: 6432, host: 0, purpose: 'pooler' },
    { container: 9187, host: 0, purpose: 'metrics' },
    // Patroni's REST API: the engine reads the cluster (leader, lag, timeline) and asks it to switch over.
    ...(ha ? [{ container: 8008, host: 0, purpose: 'patroni' as const }] : []),
  ];

  services.push({
    name: SERVICE.primary,
    role: 'db',
    env: {
      ...dbEnv,
      DB_ROLE: 'primary',
      INSTANCE_NAME: SERVICE.primary,
      MAX_CONNECTIONS: String(t.database.maxConnections),
      ...haEnv,
    },
    ports: dbPorts,
    aliases: [],
    // Under HA the primary starts first so it is the one that bootstraps the cluster and leads.
    dependsOn: etcd,
    probe: pgReady,
    resources: dbResources,
    volumePath: '/var/lib/postgresql/data',
    sharedVolumes: ha ? [] : [{ ...BACKUP_REPO }],
  });
  for (let i = 1; i <= t.database.replicas; i++) {
    services.push({
      name: replicaName(i),
      role: 'db',
      env: {
        ...dbEnv,
        DB_ROLE: 'replica',
        DB_PRIMARY: SERVICE.primary,
        INSTANCE_NAME: replicaName(i),
        APPLY_DELAY_MS: String(t.database.replicaApplyDelayMs),
        ...haEnv,
      },
      ports: dbPorts,
      aliases: [],
      dependsOn: [SERVICE.primary],
      probe: pgReady,
      resources: dbResources,
      volumePath: '/var/lib/postgresql/data',
    });
  }
  if (ha) {
    services.push({
      name: SERVICE.dbRouter,
      role: 'dbrouter',
      // Every node the topology may ever have: ones not running yet are simply down in HAProxy.
      env: {
        DB_NODES: [SERVICE.primary, ...Array.from({ length: MAX_REPLICAS }, (_, i) => replicaName(i + 1))].join(','),
      },
      ports: [
        { container: ROUTER_WRITE_PORT, host: 0, purpose: 'db' },
        { container: 8404, host: 0, purpose: 'stats' },
      ],
      aliases: [],
      // After every node is up: the API (which seeds the data) starts behind the router, so the
      // replicas are cloned before the seed rather than while it runs (a replica cloned during the
      // seed was once promoted without it).
      dependsOn: [SERVICE.primary, ...Array.from({ length: t.database.replicas }, (_, i) => replicaName(i + 1))],
      probe: probeFor('dbrouter', false),
    });
  }
  if (t.cache.enabled) {
    services.push({
      name: SERVICE.cache,
      role: 'cache',
      env: {
        MAXMEMORY: `${t.cache.maxMemoryMb}mb`,
        EVICTION_POLICY: t.cache.evictionPolicy,
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
      dependsOn: [writeHost(t)],
      probe: probeFor('api', published),
      resources: { cpus: t.api.cpus, memoryMb: t.api.memoryMb },
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
        MAX_INSTANCES: '8',
        RATE_LIMIT_RPS: String(t.rateLimit.enabled ? t.rateLimit.requestsPerSecond : 0),
      },
      ports: [
        { container: 80, host: t.ports.entry, purpose: 'entry' },
        { container: 8404, host: 0, purpose: 'stats' },
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
      env: { ORIGIN: t.loadBalancer.enabled ? 'lb:80' : `api:${API_PORT}` },
      ports: [{ container: 80, host: t.ports.edge, purpose: 'edge' }],
      aliases: [],
      dependsOn: [t.loadBalancer.enabled ? SERVICE.lb : apiName(1)],
      probe: probeFor('cdn', false),
    });
  }
  return services;
}
