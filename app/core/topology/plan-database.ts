// The database tier's services, for plan(): etcd and the router under HA, the primary, the further
// shards (database.shards) and the read replicas.
import { etcdName, replicaName, SERVICE, shardName } from '../../contract/services.js';
import { MAX_REPLICAS, type Topology } from './schema.js';
import {
  BACKUP_REPO,
  probeFor,
  ROUTER_WRITE_PORT,
  type PlanContext,
  type PortSpec,
  sharedCore,
  type ServiceSpec,
} from './service-spec.js';

export function databaseServices(t: Topology, ctx: PlanContext): ServiceSpec[] {
  const services: ServiceSpec[] = [];
  const dbEnv = {
    DB_PASSWORD: ctx.dbPassword,
    POOL_SIZE: String(t.database.poolSize),
    POOL_MODE: t.database.poolMode,
  };
  const dbResources = { cpus: t.database.cpus, memoryMb: t.database.memoryMb, ...sharedCore(t) };
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
  // database.shards: each further shard a primary of its own (the API seeds its share of orders).
  for (let i = 1; i < t.database.shards; i++) {
    services.push({
      name: shardName(i),
      role: 'db',
      env: {
        ...dbEnv,
        DB_ROLE: 'primary',
        INSTANCE_NAME: shardName(i),
        MAX_CONNECTIONS: String(t.database.maxConnections),
      },
      ports: dbPorts,
      aliases: [],
      dependsOn: [],
      probe: pgReady,
      resources: dbResources,
      volumePath: '/var/lib/postgresql/data',
    });
  }
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
  return services;
}
