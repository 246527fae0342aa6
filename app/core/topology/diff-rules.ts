// diff()'s rules: for each topology field, how a change of it is applied and what it touches
// ('live', or 'restart' of named services), with one line for the user. diff.ts walks the fields.
import { bucketsMoving } from '../../../stack/api/src/shard-map.js';
import { apiName, etcdName, replicaName, SERVICE, shardName } from '../../contract/services.js';
import type { Change } from './diff.js';
import type { Topology } from './schema.js';

const AUTOSCALE_FIELDS = [
  'enabled',
  'min',
  'max',
  'metric',
  'targetCpuPercent',
  'targetP95Ms',
  'periodSeconds',
  'scaleUpStabilizationSeconds',
  'scaleDownStabilizationSeconds',
] as const satisfies ReadonlyArray<keyof Topology['api']['autoscale']>;

export type Rule = (from: Topology, to: Topology) => Omit<Change, 'field' | 'from' | 'to'>;

const range = (a: number, b: number, name: (i: number) => string) =>
  Array.from({ length: Math.abs(b - a) }, (_, k) => name(Math.min(a, b) + k + 1));
const entryHolder = (t: Topology) => (t.loadBalancer.enabled ? SERVICE.lb : apiName(1));
const apis = (t: Topology) => range(0, t.api.instances, apiName);
const replicas = (t: Topology) => range(0, t.database.replicas, replicaName);
const shards = (t: Topology) => range(0, t.database.shards - 1, shardName);
/** The primaries of both layouts (shard 0 is db-primary). */
const shardNodes = (f: Topology, t: Topology) => [...new Set([SERVICE.primary, ...shards(f), ...shards(t)])];
const dbNodes = (t: Topology) => [SERVICE.primary, ...shards(t), ...replicas(t)];
const layout = (t: Topology) => ({ count: t.database.shards, mode: t.database.sharding });
/** What a rebalance moves, for the user: the share of the 64 buckets that change shard. */
const moving = (f: Topology, t: Topology) => `${bucketsMoving(layout(f), layout(t))} of 64 buckets of orders move`;
const etcd = (t: Topology) => (t.database.ha ? range(0, t.database.etcdMembers, etcdName) : []);
/** Everything a change of high availability recreates: etcd, the nodes, the router, the API (which
 *  connects to the router instead of the primary, or back). */
const haTier = (f: Topology, t: Topology) => [
  ...new Set([...etcd(f), ...etcd(t), ...dbNodes(f), ...dbNodes(t), SERVICE.dbRouter, ...apis(t)]),
];
const live = (services: string[], how: string) => ({ kind: 'live' as const, services, how });
/** A switch every API instance takes live (POST /admin/config), said as the topology now has it. */
const onApis = (how: (t: Topology) => string) => (_f: Topology, t: Topology) => live(apis(t), how(t));
/** What a setting's value means, one sentence for each value it may take. */
const byValue = <V extends string>(value: V, says: Record<V, string>) => says[value];
const monitors = (t: Topology) => [
  SERVICE.prometheus,
  SERVICE.alertmanager,
  ...(t.cache.enabled ? [SERVICE.redisExporter] : []),
];
const reloadRules = (what: string) => () => live([SERVICE.prometheus], `reload Prometheus's alert rules: ${what}`);
const MONITORING_RULES: Record<string, Rule> = {
  'monitoring.enabled': (_f, t) =>
    live(
      monitors(t),
      t.monitoring.enabled
        ? 'start Prometheus (scraping every part) and Alertmanager, with the alert rules'
        : 'remove Prometheus and Alertmanager (their data goes with them)',
    ),
  'monitoring.scrapeSeconds': (_f, t) =>
    live([SERVICE.prometheus], `reload Prometheus scraping every ${t.monitoring.scrapeSeconds} s`),
  'monitoring.alerts.errorRate': reloadRules('the error rate threshold'),
  'monitoring.alerts.p95Ms': reloadRules('the p95 threshold'),
  'monitoring.alerts.lagSeconds': reloadRules('the replication lag threshold'),
  'monitoring.alerts.hitRatioBelow': reloadRules('the hit ratio threshold'),
  'monitoring.alerts.forSeconds': reloadRules('how long a condition holds before it fires'),
  'monitoring.queries': (_f, t) =>
    live(
      [],
      `the engine asks Prometheus ${t.monitoring.queries.length} charted quer${t.monitoring.queries.length === 1 ? 'y' : 'ies'} each second of a run`,
    ),
  'monitoring.rules': (_f, t) =>
    reloadRules(
      t.monitoring.rules === null ? 'back to those made from the thresholds' : 'your rules file, checked by promtool',
    )(),
};
const restart = (services: string[], how: string) => ({ kind: 'restart' as const, services, how });

export const RULES: Record<string, Rule> = {
  'loadBalancer.enabled': (f, t) =>
    restart(
      [apiName(1), SERVICE.lb, ...(t.edgeCache.enabled && f.edgeCache.enabled ? [SERVICE.cdn] : [])],
      t.loadBalancer.enabled
        ? 'start the load balancer; api-1 restarts to hand it the entry port'
        : 'remove the load balancer; api-1 restarts to take the entry port',
    ),
  'loadBalancer.algorithm': () => restart([SERVICE.lb], 'restart the load balancer with the new algorithm'),
  'loadBalancer.sticky': (_f, t) =>
    restart(
      [SERVICE.lb],
      t.loadBalancer.sticky
        ? 'restart the load balancer inserting a cookie that keeps each client on its instance'
        : 'restart the load balancer without sticky sessions',
    ),
  'loadBalancer.securityHeaders': (_f, t) =>
    restart(
      [SERVICE.lb],
      t.loadBalancer.securityHeaders
        ? 'restart the load balancer adding the security headers to every response'
        : 'restart the load balancer without the security headers',
    ),
  'loadBalancer.tls': (_f, t) =>
    restart(
      [SERVICE.lb],
      t.loadBalancer.tls
        ? `restart the load balancer answering HTTPS too, on port ${t.ports.tls || 'any free one'}, with a certificate it makes`
        : 'restart the load balancer without HTTPS',
    ),
  'ports.tls': () => restart([SERVICE.lb], 'restart the load balancer on the new HTTPS port'),
  'api.version': (_f, t) =>
    live(
      apis(t),
      `roll the API instances to ${t.api.version} one at a time: each drained, then started again on ${t.api.version}'s image, while the others serve`,
    ),
  'api.distanceMs': (_f, t) =>
    live(
      apis(t),
      t.api.distanceMs
        ? `every API instance answers ${t.api.distanceMs} ms later, as an origin that far from its users would (edge hits do not pay it)`
        : 'every API instance answers at once again (the origin next to its users)',
    ),
  'api.sessions': (_f, t) =>
    live(
      apis(t),
      t.api.sessions === 'redis'
        ? 'every API instance keeps carts in Redis from now on (carts kept in memory so far are left behind)'
        : 'every API instance keeps carts in its own memory from now on (carts in Redis are left behind)',
    ),
  'rateLimit.enabled': () => restart([SERVICE.lb], 'restart the load balancer with the new rate limit'),
  'rateLimit.requestsPerSecond': () => restart([SERVICE.lb], 'restart the load balancer with the new rate limit'),
  'rateLimit.perClient': (_f, t) =>
    live(
      apis(t),
      t.rateLimit.perClient
        ? `every API instance counts each client (by ${t.rateLimit.clientHeader}) in Redis and answers 429 over ${t.rateLimit.clientLimit} per ${t.rateLimit.windowSeconds} s`
        : 'every API instance stops limiting clients',
    ),
  ...Object.fromEntries(
    (['algorithm', 'clientLimit', 'windowSeconds', 'clientHeader'] as const).map((k) => [
      `rateLimit.${k}`,
      (_f: Topology, t: Topology) => live(apis(t), `the per-client limit's new ${k} on every API instance`),
    ]),
  ),
  'api.instances': (f, t) =>
    live(
      range(f.api.instances, t.api.instances, apiName),
      t.api.instances > f.api.instances
        ? 'start API instances; the balancer finds them through DNS'
        : 'drain and remove API instances; the balancer stops sending to them',
    ),
  'api.cpus': (_f, t) =>
    live(
      apis(t),
      "update the CPU limit of each API container; each instance runs a worker per whole CPU (up to the host's cores), adding workers as the limit rises",
    ),
  'api.memoryMb': onApis(() => 'update the memory limit of each API container'),
  ...Object.fromEntries(
    AUTOSCALE_FIELDS.map((k) => [
      `api.autoscale.${k}`,
      (_f: Topology, t: Topology) =>
        live(
          [],
          k === 'enabled'
            ? t.api.autoscale.enabled
              ? 'the engine scales the API instances by the HPA rule while a run measures the stack'
              : 'the engine stops scaling the API instances (they stay as many as now)'
            : "the engine's autoscaler uses it from its next evaluation",
        ),
    ]),
  ),
  'cache.enabled': (f, t) =>
    live(
      [SERVICE.cache, ...apis(t), ...(f.monitoring.enabled || t.monitoring.enabled ? [SERVICE.redisExporter] : [])],
      t.cache.enabled
        ? 'start Redis, then switch the API instances to use it'
        : 'switch the API instances off the cache, then remove Redis',
    ),
  'cache.strategy': onApis((t) =>
    byValue(t.cache.strategy, {
      'cache-aside': 'writes go to PostgreSQL and delete what they change in Redis',
      'write-through': 'writes go to PostgreSQL and store the new order in Redis too',
      'write-behind': 'writes are acknowledged once queued in Redis; flushers write them to PostgreSQL',
    }),
  ),
  'cache.ttlSeconds': onApis(() => 'new TTL for entries written from now on'),
  'cache.coalescing': onApis((t) =>
    byValue(t.cache.coalescing, {
      none: 'every miss goes to the database',
      'single-flight': "concurrent misses of a key share one load in each instance's processes",
      'redis-lock': 'concurrent misses of a key share one load across the stack (a lock in Redis)',
    }),
  ),
  'cache.refreshAhead': onApis((t) =>
    t.cache.refreshAhead
      ? 'a hit in the last fifth of its TTL refreshes the entry ahead'
      : 'entries expire before they are loaded again',
  ),
  'cache.invalidation': onApis((t) =>
    byValue(t.cache.invalidation, {
      none: "a price change leaves the product's Redis entry to its TTL",
      update: "a price change writes the new row over the product's Redis entry",
      invalidate: "a price change deletes the product's Redis entry",
    }),
  ),
  'cache.flushIntervalMs': onApis(() => 'write-behind flushers drain the queue at the new interval'),
  'cache.flushBatch': onApis(() => 'write-behind flushers take batches of the new size'),
  'cache.persistence': (_f, t) =>
    live(
      [SERVICE.cache],
      t.cache.persistence === 'aof'
        ? 'CONFIG SET appendonly yes on Redis: it writes its data to a file and reads it back after a restart'
        : 'CONFIG SET appendonly no on Redis: what it holds is lost when it stops',
    ),
  'cache.maxMemoryMb': () => live([SERVICE.cache], 'CONFIG SET maxmemory on Redis'),
  'cache.evictionPolicy': () => live([SERVICE.cache], 'CONFIG SET maxmemory-policy on Redis'),
  'database.replicas': (f, t) =>
    live(
      [...range(f.database.replicas, t.database.replicas, replicaName), ...apis(t)],
      t.database.replicas > f.database.replicas
        ? 'clone new replicas from the primary (pg_basebackup), then route reads to them'
        : 'stop routing reads to the removed replicas, then remove them',
    ),
  'database.replicaApplyDelayMs': (_f, t) =>
    live(replicas(t), 'ALTER SYSTEM recovery_min_apply_delay on every replica and reload'),
  'database.readFromReplicas': onApis(() => 'switch read routing on every API instance'),
  'database.readYourWrites': onApis(() => 'switch read-your-writes on every API instance'),
  'database.readYourWritesWindowMs': onApis(() => 'new read-your-writes window on every API instance'),
  'database.pooler': (_f, t) =>
    live(
      apis(t),
      t.database.pooler === 'pgbouncer'
        ? 'every API instance reconnects through the PgBouncer beside each database node'
        : 'every API instance reconnects straight to PostgreSQL',
    ),
  'database.poolSize': (_f, t) => live(dbNodes(t), "rewrite PgBouncer's pool size on each database node and reload it"),
  'database.poolMode': (_f, t) => live(dbNodes(t), "rewrite PgBouncer's pool mode on each database node and reload it"),
  'database.maxConnections': (_f, t) =>
    t.database.ha
      ? live(dbNodes(t), 'Patroni sets max_connections for the cluster and restarts each node in turn')
      : restart(
          [SERVICE.primary, ...shards(t)],
          `restart the primary${t.database.shards > 1 ? ' and every shard' : ''} with the new max_connections (replicas reconnect)`,
        ),
  'database.ha': (f, t) =>
    restart(
      haTier(f, t),
      t.database.ha
        ? 'recreate the database tier under Patroni with etcd and a router (data seeded again); the API restarts to connect through db-router'
        : 'recreate the database tier without Patroni (data seeded again); the API restarts to connect to db-primary',
    ),
  'database.etcdMembers': (f, t) =>
    restart(
      haTier(f, t),
      `recreate etcd with ${t.database.etcdMembers} member(s) and the database tier (data seeded again)`,
    ),
  'database.backups': (_f, t) =>
    live(
      [SERVICE.primary],
      t.database.backups
        ? 'archive WAL to pgBackRest (archive_command, reload) and take a full backup'
        : 'stop archiving WAL (the backups taken stay in the repository)',
    ),
  'database.synchronous': (_f, t) =>
    live(
      dbNodes(t),
      t.database.synchronous
        ? "Patroni's synchronous mode: a commit waits until a standby has it (PATCH /config)"
        : "Patroni's synchronous mode off: commits no longer wait for a standby (PATCH /config)",
    ),
  'database.indexes': (_f, t) =>
    live(
      shardNodes(t, t),
      t.database.indexes
        ? `CREATE INDEX CONCURRENTLY for the expensive read on the primary${t.database.shards > 1 ? ' and every shard' : ''} (replicas get them through WAL)`
        : `DROP INDEX CONCURRENTLY on the primary${t.database.shards > 1 ? ' and every shard' : ''}`,
    ),
  'database.shards': (f, t) =>
    live(
      [...shardNodes(f, t), ...apis(t)],
      t.database.shards > f.database.shards
        ? `start ${range(f.database.shards - 1, t.database.shards - 1, shardName).join(', ')}; ${moving(f, t)} while load runs (reads ask every shard meanwhile), then writes follow the new map`
        : `${moving(f, t)} off ${range(t.database.shards - 1, f.database.shards - 1, shardName).join(', ')} while load runs, then remove it`,
    ),
  'database.sharding': (f, t) =>
    live(
      [...shardNodes(f, t), ...apis(t)],
      `re-shard by ${t.database.sharding}: ${moving(f, t)} between the shards while load runs (reads ask every shard meanwhile)`,
    ),
  'database.sharesApiCores': (_f, t) =>
    live(
      [...apis(t), ...dbNodes(t)],
      t.database.sharesApiCores
        ? 'pin the API instances and the database to core 0, as on one server (docker update --cpuset-cpus)'
        : 'let the API instances and the database run on every core again (docker update --cpuset-cpus)',
    ),
  'database.cpus': (_f, t) => live(dbNodes(t), 'update the CPU limit of each database container'),
  'database.memoryMb': (_f, t) => live(dbNodes(t), 'update the memory limit of each database container'),
  'edgeCache.enabled': (_f, t) =>
    live([SERVICE.cdn], t.edgeCache.enabled ? 'start the edge cache on its own port' : 'remove the edge cache'),
  'edgeCache.dynamicTtlSeconds': (_f, t) =>
    restart(
      t.edgeCache.enabled ? [SERVICE.cdn] : [],
      t.edgeCache.dynamicTtlSeconds
        ? `restart the edge cache keeping product reads ${t.edgeCache.dynamicTtlSeconds} s`
        : 'restart the edge cache keeping static files only',
    ),
  'edgeCache.purgeOnWrite': (_f, t) =>
    live(
      apis(t),
      t.edgeCache.purgeOnWrite
        ? "a price change purges the product's copy at the edge"
        : 'a price change leaves the edge copy to its TTL',
    ),
  ...MONITORING_RULES,
  'ports.entry': (_f, t) => restart([entryHolder(t)], `restart ${entryHolder(t)} on the new entry port`),
  'ports.edge': () => restart([SERVICE.cdn], 'restart the edge cache on the new port'),
};

/** Every topology field a change can name: one rule each. */
