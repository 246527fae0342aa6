// The names of a stack's services, in one place: plan() gives containers these names, the runtime
// finds them by them, the collectors and the console read figures by them.

export const SERVICE = {
  primary: 'db-primary',
  cache: 'cache',
  lb: 'lb',
  cdn: 'cdn',
  /** database.ha: HAProxy in front of the database nodes, sending writes to Patroni's leader. */
  dbRouter: 'db-router',
  /** monitoring.enabled: Prometheus, Alertmanager, and redis_exporter beside the cache. */
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  redisExporter: 'redis-exporter',
} as const;

export const apiName = (i: number) => `api-${i}`;
export const replicaName = (i: number) => `db-replica-${i}`;

/** database.shards: shard 0 is db-primary, the others db-shard-1... */
export const shardName = (i: number) => `db-shard-${i}`;
export const isShardName = (name: string) => /^db-shard-\d+$/.test(name);
/** The hosts of `count` shards: the primary, then db-shard-1... (sharding refuses HA). */
export const shardHosts = (count: number) => [
  SERVICE.primary as string,
  ...Array.from({ length: count - 1 }, (_, i) => shardName(i + 1)),
];
export const etcdName = (i: number) => `etcd-${i}`;
export const isEtcdName = (name: string) => /^etcd-\d+$/.test(name);
/** A database node: the primary it started as, or a replica (under Patroni either may lead). */
export const isDbNodeName = (name: string) => name === SERVICE.primary || isReplicaName(name);
export const isApiName = (name: string) => /^api-\d+$/.test(name);
export const isReplicaName = (name: string) => /^db-replica-\d+$/.test(name);

/** The order services are listed in: from the client inward. */
export function serviceRank(name: string): number {
  if (name === SERVICE.cdn) return 0;
  if (name === SERVICE.lb) return 1;
  if (isApiName(name)) return 2;
  if (name === SERVICE.cache) return 3;
  if (name === SERVICE.dbRouter) return 4;
  if (name === SERVICE.primary) return 5;
  if (isShardName(name)) return 6;
  if (isReplicaName(name)) return 6;
  if (isEtcdName(name)) return 7;
  return 8;
}
