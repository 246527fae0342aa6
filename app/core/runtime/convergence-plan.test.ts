// The convergence planner without Docker: for every field diff() has a rule for, what a change
// of it makes the runtime do, in order. The table must name every field: a rule added to diff.ts
// without a case here fails the last test.
import { describe, expect, it } from 'vitest';
import { DIFF_FIELDS } from '../topology/diff.js';
import { plan } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { planConvergence, type ConvergeAction, type ObservedContainer } from './convergence-plan.js';

const ctx = { adminToken: 't'.repeat(32), dbPassword: 'p'.repeat(24) };
const edgeOneInstance = parseTopology({ ...getPreset('edge-cache').topology, api: { instances: 1 } });
const full = parseTopology({ ...getPreset('full').topology, rateLimit: { enabled: true, requestsPerSecond: 100 } });

/** Every service of `t` as a running container with a made-up id. */
function running(t: Topology, override: Partial<Record<string, ObservedContainer['state']>> = {}): ObservedContainer[] {
  return plan(t, ctx).map((s) => ({
    id: `id-${s.name}`,
    service: s.name,
    role: s.role,
    state: override[s.name] ?? 'running',
  }));
}

const set = (t: Topology, field: string, value: unknown): Topology => {
  const copy = structuredClone(t) as unknown as Record<string, Record<string, unknown>>;
  const path = field.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
  return parseTopology(copy);
};

/** The plan as short lines: "remove recreate lb", "start cache", "push api-1,api-2,api-3"... */
function summary(actions: ConvergeAction[]): string[] {
  return actions.map((a) => {
    switch (a.kind) {
      case 'remove':
        return `remove ${a.why} ${a.services.join(',')}${a.volumes ? ' +volumes' : ''}`;
      case 'check-ports':
        return `check-ports ${a.ports.map((p) => `${p.field}=${p.port}`).join(',')}`.replace(/ $/, '');
      case 'unpause':
        return `unpause ${a.services.join(',')}`;
      case 'start':
        return `start ${a.specs.map((s) => s.name).join(',')}`;
      case 'push-api-config':
        return `push ${a.services.join(',')}`;
      case 'update-limits':
        return `limits ${a.services.join(',')} ${a.cpus}/${a.memoryMb}`;
      case 'update-cpuset':
        return `cpuset ${a.services.join(',')} ${a.cpuset ?? 'all'}`;
      case 'redis-config':
        return `redis ${a.maxMemoryMb}mb ${a.evictionPolicy}${a.appendOnly ? ' aof' : ''}`;
      case 'replica-apply-delay':
        return `delay ${a.services.join(',')} ${a.ms}`;
      case 'pooler-config':
        return `pooler ${a.services.join(',')} ${a.poolSize} ${a.poolMode}`;
      case 'db-indexes':
        return `indexes ${a.present ? 'create' : 'drop'} on ${a.service}`;
      case 'db-backups':
        return `backups ${a.present ? 'on' : 'off'} on ${a.service}`;
      case 'shard-rebalance':
        return `rebalance ${a.from.mode} ${a.from.count}>${a.to.mode} ${a.to.count} over ${a.hosts.join(',')}${a.added.length ? ` (new ${a.added.join(',')})` : ''}`;
      case 'patroni-config':
        return `patroni synchronous=${a.synchronous} max_connections=${a.maxConnections}${a.restart ? ' restart' : ''}`;
      case 'balancer-weights':
        return 'balancer full weights';
      case 'monitoring-config':
        return `prometheus files ${Object.keys(a.files).join(',')}`;
    }
  });
}

const converge = (from: Topology, to: Topology, o: { heal?: boolean; observed?: ObservedContainer[] } = {}) =>
  planConvergence({ observed: o.observed ?? running(from), specs: plan(to, ctx), from, to, heal: o.heal ?? false });

const APIS = 'api-1,api-2,api-3';
const W = 'balancer full weights';
const pooled = set(full, 'database.pooler', 'pgbouncer');
const ha = set(full, 'database.ha', true);
const single = set(full, 'database.replicas', 0);
const twoShards = set(single, 'database.shards', 2);

// field -> [starting topology, new value, the plan]
const autoscaled = parseTopology({ ...structuredClone(full), api: { ...full.api, autoscale: { enabled: true } } });

const tls = parseTopology({ ...structuredClone(full), loadBalancer: { ...full.loadBalancer, tls: true } });
const monitored = set(full, 'monitoring.enabled', true);
const rules = ['prometheus files alert-rules.yml'];
const limited = parseTopology({ ...structuredClone(full), rateLimit: { ...full.rateLimit, perClient: true } });

const CASES: Record<string, [Topology, unknown, string[]]> = {
  'loadBalancer.enabled': [
    edgeOneInstance,
    false,
    // the balancer leaves before api-1 takes its entry port back; the edge restarts to point at api-1
    [
      'remove recreate api-1,cdn',
      'remove unwanted lb +volumes',
      'check-ports ports.entry=8080,ports.edge=8081',
      'start api-1,cdn',
    ],
  ],
  'loadBalancer.algorithm': [full, 'leastconn', ['remove recreate lb', 'check-ports ports.entry=8080', 'start lb']],
  'loadBalancer.sticky': [full, true, ['remove recreate lb', 'check-ports ports.entry=8080', 'start lb']],
  'loadBalancer.securityHeaders': [full, true, ['remove recreate lb', 'check-ports ports.entry=8080', 'start lb']],
  'loadBalancer.tls': [full, true, ['remove recreate lb', 'check-ports ports.entry=8080,ports.tls=8443', 'start lb']],
  'ports.tls': [tls, 9443, ['remove recreate lb', 'check-ports ports.entry=8080,ports.tls=9443', 'start lb']],
  'api.sessions': [full, 'redis', [`push ${APIS}`]],
  'api.distanceMs': [full, 80, [`push ${APIS}`]],
  // A rolling deploy: one instance at a time drained, then started on the new version's image.
  // Every instance that comes or goes behind a balancer that stays: its slots at full weight first.
  'api.version': [
    full,
    'v2',
    [W, ...['api-1', 'api-2', 'api-3'].flatMap((a) => [`remove recreate ${a}`, `start ${a}`])],
  ],
  'rateLimit.perClient': [full, true, [`push ${APIS}`]],
  'rateLimit.algorithm': [limited, 'sliding-window', [`push ${APIS}`]],
  'rateLimit.clientLimit': [limited, 5, [`push ${APIS}`]],
  'rateLimit.windowSeconds': [limited, 10, [`push ${APIS}`]],
  'rateLimit.clientHeader': [limited, 'x-tenant', [`push ${APIS}`]],
  'rateLimit.enabled': [full, false, ['remove recreate lb', 'check-ports ports.entry=8080', 'start lb']],
  'rateLimit.requestsPerSecond': [full, 50, ['remove recreate lb', 'check-ports ports.entry=8080', 'start lb']],
  'api.instances': [full, 5, [W, 'start api-4,api-5']],
  'api.cpus': [full, 0.5, [`limits ${APIS} 0.5/256`]],
  'api.memoryMb': [full, 512, [`limits ${APIS} 1/512`]],
  // The engine's autoscaler reads these from the topology: nothing in the stack changes.
  'api.autoscale.enabled': [full, true, []],
  ...Object.fromEntries(
    (
      [
        ['min', 2],
        ['max', 6],
        ['metric', 'p95'],
        ['targetCpuPercent', 80],
        ['targetP95Ms', 300],
        ['periodSeconds', 10],
        ['scaleUpStabilizationSeconds', 10],
        ['scaleDownStabilizationSeconds', 60],
      ] as const
    ).map(([k, v]) => [`api.autoscale.${k}`, [autoscaled, v, []]]),
  ),
  'cache.enabled': [full, false, [`push ${APIS}`, 'remove unwanted cache +volumes']],
  'cache.invalidation': [full, 'none', [`push ${APIS}`]],
  'cache.coalescing': [full, 'redis-lock', [`push ${APIS}`]],
  'cache.refreshAhead': [full, true, [`push ${APIS}`]],
  'monitoring.enabled': [full, true, ['start redis-exporter,alertmanager,prometheus']],
  // The rules' rate windows follow the interval.
  'monitoring.scrapeSeconds': [monitored, 5, ['prometheus files prometheus.yml,alert-rules.yml']],
  'monitoring.alerts.errorRate': [monitored, 0.01, rules],
  'monitoring.alerts.p95Ms': [monitored, 300, rules],
  'monitoring.alerts.lagSeconds': [monitored, 1, rules],
  'monitoring.alerts.hitRatioBelow': [monitored, 0.8, rules],
  'monitoring.alerts.forSeconds': [monitored, 30, rules],
  'monitoring.rules': [monitored, 'groups: []\n', rules],
  // The engine asks them during a run: nothing in the stack changes.
  'monitoring.queries': [monitored, ['up'], []],
  'cache.strategy': [full, 'write-through', [`push ${APIS}`]],
  'cache.ttlSeconds': [full, 5, [`push ${APIS}`]],
  'cache.maxMemoryMb': [full, 8, ['redis 8mb allkeys-lru']],
  'cache.evictionPolicy': [full, 'allkeys-lfu', ['redis 64mb allkeys-lfu']],
  'cache.persistence': [full, 'aof', ['redis 64mb allkeys-lru aof']],
  'cache.flushIntervalMs': [full, 2000, [`push ${APIS}`]],
  'cache.flushBatch': [full, 50, [`push ${APIS}`]],
  'database.replicas': [full, 3, ['start db-replica-3', `push ${APIS}`]],
  'database.replicaApplyDelayMs': [full, 500, ['delay db-replica-1,db-replica-2 500']],
  'database.readFromReplicas': [full, false, [`push ${APIS}`]],
  'database.readYourWrites': [full, true, [`push ${APIS}`]],
  'database.readYourWritesWindowMs': [full, 1000, [`push ${APIS}`]],
  'database.pooler': [full, 'pgbouncer', [`push ${APIS}`]],
  'database.poolSize': [pooled, 5, ['pooler db-primary,db-replica-1,db-replica-2 5 transaction']],
  'database.poolMode': [pooled, 'session', ['pooler db-primary,db-replica-1,db-replica-2 20 session']],
  'database.maxConnections': [full, 40, ['remove recreate db-primary', 'start db-primary']],
  'database.indexes': [full, true, ['indexes create on db-primary']],
  // A fresh database tier (empty volumes) under Patroni; the API restarts to connect through the router.
  'database.ha': [
    full,
    true,
    [
      W,
      `remove recreate ${APIS}`,
      'remove recreate db-primary,db-replica-1,db-replica-2 +volumes',
      `start etcd-1,db-primary,db-replica-1,db-replica-2,db-router,${APIS}`,
    ],
  ],
  // A new etcd means a new cluster: everything that holds its data or seeds it starts anew.
  'database.etcdMembers': [
    ha,
    3,
    [
      W,
      `remove recreate etcd-1,db-router,${APIS}`,
      'remove recreate db-primary,db-replica-1,db-replica-2 +volumes',
      `start etcd-1,etcd-2,etcd-3,db-primary,db-replica-1,db-replica-2,db-router,${APIS}`,
    ],
  ],
  'database.backups': [full, true, ['backups on on db-primary']],
  'database.synchronous': [ha, true, ['patroni synchronous=true max_connections=100']],
  // New shards start, then the rows move (the API reads from every host meanwhile), then the API
  // gets the final layout.
  'database.shards': [
    single,
    3,
    [
      'start db-shard-1,db-shard-2',
      'rebalance hash 1>hash 3 over db-primary,db-shard-1,db-shard-2 (new db-shard-1,db-shard-2)',
      `push ${APIS}`,
    ],
  ],
  'database.sharding': [twoShards, 'range', ['rebalance hash 2>range 2 over db-primary,db-shard-1', `push ${APIS}`]],
  'database.sharesApiCores': [full, true, [`cpuset db-primary,db-replica-1,db-replica-2,${APIS} 0`]],
  'database.cpus': [full, 2, ['limits db-primary,db-replica-1,db-replica-2 2/512']],
  'database.memoryMb': [full, 256, ['limits db-primary,db-replica-1,db-replica-2 1/256']],
  'edgeCache.enabled': [full, false, ['remove unwanted cdn +volumes']],
  // nginx's config is rendered at start: the edge restarts; purge on write is the API's switch.
  'edgeCache.dynamicTtlSeconds': [full, 5, ['remove recreate cdn', 'check-ports ports.edge=8081', 'start cdn']],
  'edgeCache.purgeOnWrite': [full, true, [`push ${APIS}`]],
  'ports.entry': [full, 9090, ['remove recreate lb', 'check-ports ports.entry=9090', 'start lb']],
  'ports.edge': [full, 9091, ['remove recreate cdn', 'check-ports ports.edge=9091', 'start cdn']],
};

describe('planConvergence', () => {
  for (const [field, [from, value, want]] of Object.entries(CASES)) {
    it(`${field}: ${JSON.stringify(value)}`, () => {
      const to = set(from, field, value);
      const { changes, actions } = converge(from, to);
      expect(changes.map((c) => c.field)).toContain(field);
      expect(summary(actions)).toEqual(want);
    });
  }

  it('resumes an interrupted rolling deploy: only the instances still on the old version roll', () => {
    const v2 = set(full, 'api.version', 'v2');
    const observed = running(v2).map((c) =>
      c.role === 'api' ? { ...c, version: c.service === 'api-3' ? 'v1' : 'v2' } : c,
    );
    expect(summary(converge(v2, v2, { observed }).actions)).toEqual([W, 'remove recreate api-3', 'start api-3']);
  });

  it('resets the weights only behind a balancer that keeps running', () => {
    const one = parseTopology(getPreset('single-server').topology);
    const noLb = summary(converge(one, set(one, 'api.version', 'v2')).actions);
    expect(noLb).not.toContain(W);
    const stopped = running(full, { lb: 'exited' });
    expect(summary(converge(full, set(full, 'api.instances', 4), { observed: stopped }).actions)).not.toContain(W);
    expect(summary(converge(full, set(full, 'cache.ttlSeconds', 5)).actions)).not.toContain(W);
  });

  it('has a case for every field diff() has a rule for', () => {
    expect(Object.keys(CASES).sort()).toEqual([...DIFF_FIELDS].sort());
  });

  it('starts a new stack whole, after removing what a crashed session left and checking its ports', () => {
    const leftovers = running(full, { 'api-1': 'exited', lb: 'exited' }).slice(0, 3);
    const { changes, actions } = planConvergence({
      observed: leftovers,
      specs: plan(full, ctx),
      from: null,
      to: full,
      heal: true,
    });
    expect(changes).toEqual([]);
    expect(summary(actions)).toEqual([
      `remove leftover ${leftovers.map((c) => c.service).join(',')}`,
      'check-ports ports.entry=8080,ports.edge=8081',
      `start ${plan(full, ctx)
        .map((s) => s.name)
        .join(',')}`,
    ]);
  });

  it('heals on up: a killed instance and a stopped cache are recreated, a paused one resumed; apply leaves them', () => {
    const observed = running(full, { 'api-2': 'exited', cache: 'exited', 'api-3': 'paused' });
    expect(summary(converge(full, full, { observed, heal: true }).actions)).toEqual([
      W,
      'remove recreate cache,api-2',
      'unpause api-3',
      'start cache,api-2',
    ]);
    expect(converge(full, full, { observed, heal: false }).actions).toEqual([]);
  });

  it('tells only running instances about new switches, and starts new ones with them in their environment', () => {
    const observed = running(full, { 'api-2': 'exited' });
    const to = set(set(full, 'api.instances', 4), 'cache.ttlSeconds', 5);
    expect(summary(converge(full, to, { observed }).actions)).toEqual([W, 'start api-4', 'push api-1,api-3']);
  });

  it('removes replicas after the instances stopped reading from them, with their volumes', () => {
    expect(summary(converge(full, set(full, 'database.replicas', 0)).actions)).toEqual([
      `push ${APIS}`,
      'remove unwanted db-replica-1,db-replica-2 +volumes',
    ]);
  });

  it('under HA, max_connections goes through Patroni (no container recreated), and indexes follow a fresh tier', () => {
    expect(summary(converge(ha, set(ha, 'database.maxConnections', 40)).actions)).toEqual([
      'patroni synchronous=false max_connections=40 restart',
    ]);
    const indexed = set(full, 'database.indexes', true);
    expect(summary(converge(indexed, set(indexed, 'database.ha', true)).actions).at(-1)).toBe(
      'indexes create on db-primary',
    );
  });

  it('checks only the fixed ports of what starts: a database restart checks none, the edge cache its own', () => {
    // The balancer keeps running and holds the entry port: a check of it would refuse every restart.
    expect(summary(converge(full, set(full, 'database.maxConnections', 50)).actions)).not.toContain(
      'check-ports ports.entry=8080',
    );
    const noEdge = set(full, 'edgeCache.enabled', false);
    expect(summary(converge(noEdge, set(noEdge, 'edgeCache.enabled', true)).actions)).toEqual([
      'check-ports ports.edge=8081',
      'start cdn',
    ]);
  });

  it('drains a shard before removing it, and builds the indexes on a shard added with them on', () => {
    const three = set(single, 'database.shards', 3);
    expect(summary(converge(three, twoShards).actions)).toEqual([
      'rebalance hash 3>hash 2 over db-primary,db-shard-1,db-shard-2',
      `push ${APIS}`,
      'remove unwanted db-shard-2 +volumes',
    ]);
    const indexed = set(twoShards, 'database.indexes', true);
    expect(summary(converge(indexed, set(indexed, 'database.shards', 3)).actions).slice(-2)).toEqual([
      `push ${APIS}`,
      'indexes create on db-shard-2',
    ]);
  });

  it('changes nothing for a field of a component that is off', () => {
    const noCache = set(full, 'cache.enabled', false);
    expect(converge(noCache, set(noCache, 'cache.maxMemoryMb', 8)).actions).toEqual([]);
  });

  it('tells a running Prometheus of instances that come, and of the cache going, without a restart', () => {
    expect(summary(converge(monitored, set(monitored, 'api.instances', 4)).actions)).toEqual([
      W,
      'start api-4',
      'prometheus files targets.json',
    ]);
    // Redis goes, and its exporter, and the rule on its hit ratio.
    expect(summary(converge(monitored, set(monitored, 'cache.enabled', false)).actions)).toEqual([
      `push ${APIS}`,
      'prometheus files targets.json,alert-rules.yml',
      'remove unwanted cache,redis-exporter +volumes',
    ]);
    expect(converge(full, set(full, 'monitoring.alerts.p95Ms', 200)).actions).toEqual([]);
  });
});
