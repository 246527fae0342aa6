import { describe, expect, it } from 'vitest';
import { diff, isLive } from './diff.js';
import { apiConfigOf, plan } from './plan.js';
import { getPreset, PRESETS, presetNames } from './presets.js';
import { parseTopology, TopologyError } from './schema.js';
import { resolveTopology } from './topology-request.js';

const ctx = { adminToken: 'a'.repeat(32), dbPassword: 'p'.repeat(24) };
const full = () => structuredClone(getPreset('full').topology);

describe('topology schema', () => {
  it('fills defaults from an empty object', () => {
    const t = parseTopology({});
    expect(t.api.instances).toBe(1);
    expect(t.loadBalancer).toEqual({
      enabled: true,
      algorithm: 'roundrobin',
      sticky: false,
      securityHeaders: false,
      tls: false,
    });
    expect(t.api.sessions).toBe('memory');
    expect(t.ports).toEqual({ entry: 8080, edge: 8081, tls: 8443 });
  });

  it.each([
    [{ api: { instances: 9 } }, 'api.instances'],
    [{ api: { instances: 0 } }, 'api.instances'],
    [{ database: { replicas: 4 } }, 'database.replicas'],
    [{ database: { pooler: 'pgpool' } }, 'database.pooler'],
    [{ database: { poolMode: 'statement' } }, 'database.poolMode'],
    [{ database: { poolSize: 0 } }, 'database.poolSize'],
    [{ database: { maxConnections: 10 } }, 'database.maxConnections'],
    [{ database: { maxConnections: 500 } }, 'database.maxConnections'],
    [{ cache: { strategy: 'write-around' } }, 'cache.strategy'],
    [{ cache: { ttlSeconds: 1.5 } }, 'cache.ttlSeconds'],
    [{ loadBalancer: { enabled: 'yes' } }, 'loadBalancer.enabled'],
    [{ api: { instances: 3 }, loadBalancer: { enabled: false } }, 'api.instances'],
    [{ rateLimit: { enabled: true }, loadBalancer: { enabled: false } }, 'rateLimit.enabled'],
    [{ ports: { entry: 9000, edge: 9000 } }, 'ports.edge'],
    [{ ports: { entry: 9000, tls: 9000 } }, 'ports.tls'],
    [{ loadBalancer: { enabled: false, tls: true } }, 'loadBalancer.tls'],
    [{ database: { ha: true, replicas: 0 } }, 'database.ha'],
    [{ database: { ha: true, replicas: 1, etcdMembers: 2 } }, 'database.etcdMembers'],
    [{ database: { synchronous: true, replicas: 1 } }, 'database.synchronous'],
    [{ database: { backups: true, ha: true, replicas: 1 } }, 'database.backups'],
    [{ database: { shards: 5 } }, 'database.shards'],
    [{ database: { shards: 0 } }, 'database.shards'],
    [{ database: { sharding: 'modulo' } }, 'database.sharding'],
    [{ database: { shards: 2, replicas: 1 } }, 'database.shards'],
    [{ database: { shards: 2, ha: true, replicas: 1 } }, 'database.shards'],
    [{ database: { shards: 2, backups: true } }, 'database.shards'],
    [{ api: { autoscale: { min: 4, max: 2 } } }, 'api.autoscale.min'],
    [{ api: { autoscale: { max: 9 } } }, 'api.autoscale.max'],
    [{ api: { autoscale: { metric: 'memory' } } }, 'api.autoscale.metric'],
    [{ api: { autoscale: { enabled: true } }, loadBalancer: { enabled: false } }, 'api.autoscale.enabled'],
    [{ api: { sessions: 'redis' } }, 'api.sessions'],
    [{ rateLimit: { perClient: true } }, 'rateLimit.perClient'],
    [{ rateLimit: { clientHeader: 'X Client' }, cache: { enabled: true } }, 'rateLimit.clientHeader'],
    [{ rateLimit: { clientHeader: 'cookie' } }, 'rateLimit.clientHeader'],
    [{ rateLimit: { algorithm: 'token-bucket' } }, 'rateLimit.algorithm'],
    [{ api: { sessions: 'cookies' }, cache: { enabled: true } }, 'api.sessions'],
    [{ api: { instanses: 2 } }, 'api'],
    [{ color: 'red' }, '(root)'],
    ['not an object', '(root)'],
  ])('refuses %j naming %s', (input, field) => {
    try {
      parseTopology(input);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(TopologyError);
      expect((err as TopologyError).issues.some((i) => i.startsWith(`${field}:`))).toBe(true);
    }
  });
});

describe('topology requests', () => {
  it('merge a partial topology at every depth over the running one, and --set fields by their path', () => {
    const on = resolveTopology({ topology: { api: { autoscale: { enabled: true, max: 6 } } } });
    expect(on.api.autoscale).toMatchObject({ enabled: true, min: 1, max: 6, metric: 'cpu' });
    const more = resolveTopology({ topology: { api: { autoscale: { min: 2 } } } }, on);
    expect(more.api.autoscale).toMatchObject({ enabled: true, min: 2, max: 6 });
    const set = resolveTopology({ set: { 'api.autoscale.metric': 'p95', 'api.instances': 3 } }, more);
    expect(set.api).toMatchObject({ instances: 3, autoscale: { metric: 'p95', min: 2, max: 6 } });
  });

  it('refuse a "__proto__" key as an unknown field, never touching a prototype', () => {
    expect(() => resolveTopology({ topology: JSON.parse('{"api":{"__proto__":{"instances":3}}}') })).toThrow(
      TopologyError,
    );
    expect(() => resolveTopology({ set: { '__proto__.polluted': 1 } })).toThrow(/unknown topology field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('presets', () => {
  it('has the eleven names the CLI documents', () => {
    expect(presetNames()).toEqual([
      'single-server',
      'three-tier',
      'load-balanced',
      'edge-cache',
      'app-cache',
      'read-replicas',
      'ha',
      'autoscaling',
      'connection-pooling',
      'sharding',
      'full',
    ]);
  });
  it('gives each stage one more component than the last', () => {
    const names = (p: string) =>
      plan(getPreset(p).topology, ctx)
        .map((s) => s.role)
        .sort()
        .join(',');
    expect(names('single-server')).toBe('api,db');
    expect(names('three-tier')).toBe('api,db,lb');
    expect(names('load-balanced')).toBe('api,api,api,db,lb');
    expect(names('edge-cache')).toBe('api,api,api,cdn,db,lb');
    expect(names('app-cache')).toBe('api,api,api,cache,cdn,db,lb');
    expect(names('read-replicas')).toBe('api,api,api,cache,cdn,db,db,db,lb');
    expect(names('ha')).toBe('api,api,api,cache,cdn,db,db,db,dbrouter,etcd,etcd,etcd,lb');
    expect(PRESETS.filter((p) => p.stage !== null).map((p) => p.stage)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('plan', () => {
  it('orders dependencies: replicas and API on the primary, the balancer on every instance, the edge on the balancer', () => {
    const specs = plan(full(), ctx);
    const byName = new Map(specs.map((s) => [s.name, s]));
    expect(byName.get('db-replica-2')!.dependsOn).toEqual(['db-primary']);
    expect(byName.get('api-3')!.dependsOn).toEqual(['db-primary']);
    expect(byName.get('lb')!.dependsOn).toEqual(['api-1', 'api-2', 'api-3']);
    expect(byName.get('cdn')!.dependsOn).toEqual(['lb']);
    for (const s of specs) for (const d of s.dependsOn) expect(byName.has(d)).toBe(true);
  });

  it('under HA: etcd first, Patroni on every node, the router in front, the API writing through it', () => {
    const t = parseTopology({
      ...full(),
      database: { ...full().database, ha: true, etcdMembers: 3, synchronous: true },
    });
    const specs = plan(t, ctx);
    const byName = new Map(specs.map((s) => [s.name, s]));
    expect(specs.slice(0, 3).map((s) => s.name)).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
    expect(byName.get('etcd-2')!.env.ETCD_MEMBERS).toBe('etcd-1,etcd-2,etcd-3');
    for (const node of ['db-primary', 'db-replica-1', 'db-replica-2']) {
      const s = byName.get(node)!;
      expect(s.env).toMatchObject({ HA: '1', ETCD_HOSTS: 'etcd-1:2379,etcd-2:2379,etcd-3:2379', SYNCHRONOUS: 'true' });
      expect(s.probe).toEqual({ kind: 'http', purpose: 'patroni', path: '/health' });
    }
    expect(byName.get('db-primary')!.dependsOn).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
    expect(byName.get('db-router')!.env.DB_NODES).toBe('db-primary,db-replica-1,db-replica-2,db-replica-3');
    expect(byName.get('api-1')!.env.DB_PRIMARY).toBe('db-router');
    expect(byName.get('api-1')!.dependsOn).toEqual(['db-router']);
    expect(apiConfigOf(t).database.replicas).toEqual(['db-router:5433']);
    for (const s of specs) for (const d of s.dependsOn) expect(byName.has(d)).toBe(true);
  });

  it('sharded: each further shard a primary of its own, the API waiting for all and told their hosts', () => {
    const t = parseTopology({ ...full(), database: { ...full().database, replicas: 0, shards: 3, sharding: 'range' } });
    const specs = plan(t, ctx);
    const byName = new Map(specs.map((s) => [s.name, s]));
    for (const shard of ['db-shard-1', 'db-shard-2']) {
      expect(byName.get(shard)!.env).toMatchObject({ DB_ROLE: 'primary', INSTANCE_NAME: shard });
      expect(byName.get(shard)!.volumePath).toBe('/var/lib/postgresql/data');
    }
    expect(byName.has('db-shard-3')).toBe(false);
    expect(byName.get('api-1')!.dependsOn).toEqual(['db-primary', 'db-shard-1', 'db-shard-2']);
    expect(apiConfigOf(t).database.shards).toEqual({
      hosts: ['db-primary', 'db-shard-1', 'db-shard-2'],
      count: 3,
      mode: 'range',
    });
    expect(() => parseTopology({ ...t, database: { ...t.database, replicas: 1 } })).toThrow(
      /3 shards run as single primaries, without read replicas/,
    );
  });

  it('publishes the entry port on the balancer, or on api-1 when there is none', () => {
    const entry = (t: ReturnType<typeof full>) =>
      plan(t, ctx)
        .filter((s) => s.ports.some((p) => p.purpose === 'entry'))
        .map((s) => s.name);
    expect(entry(full())).toEqual(['lb']);
    expect(entry(getPreset('single-server').topology)).toEqual(['api-1']);
  });

  it('gives every API instance the alias "api", the secrets and the live config', () => {
    const apis = plan(full(), ctx).filter((s) => s.role === 'api');
    expect(apis).toHaveLength(3);
    for (const a of apis) {
      expect(a.aliases).toEqual(['api']);
      expect(a.env.ADMIN_TOKEN).toBe(ctx.adminToken);
      expect(JSON.parse(a.env.SCALELAB_CONFIG)).toEqual(apiConfigOf(full()));
    }
    expect(apiConfigOf(full()).database.replicas).toEqual(['db-replica-1', 'db-replica-2']);
  });

  it("gives every database node PgBouncer's pool, the primary alone max_connections, and the API the pooler switch", () => {
    const t = full();
    t.database.pooler = 'pgbouncer';
    t.database.poolSize = 7;
    t.database.maxConnections = 60;
    const specs = plan(t, ctx);
    for (const db of specs.filter((s) => s.role === 'db')) {
      expect(db.env).toMatchObject({ POOL_SIZE: '7', POOL_MODE: 'transaction' });
      expect(db.ports.map((p) => p.purpose)).toEqual(['db', 'pooler', 'metrics']);
    }
    expect(specs.find((s) => s.name === 'db-primary')!.env.MAX_CONNECTIONS).toBe('60');
    // Replicas keep their own (higher) setting: a hot standby needs at least the primary's.
    expect(specs.find((s) => s.name === 'db-replica-1')!.env.MAX_CONNECTIONS).toBeUndefined();
    expect(apiConfigOf(t).database.pooled).toBe(true);
    // The API is not the superuser: PostgreSQL keeps slots for the engine when it takes the rest.
    expect(specs.find((s) => s.name === 'api-1')!.env.DB_USER).toBe('app');
  });

  it('renders sticky sessions for the balancer, and tells the API where carts live', () => {
    const t = parseTopology({ ...full(), loadBalancer: { sticky: true }, api: { instances: 3, sessions: 'redis' } });
    expect(plan(t, ctx).find((s) => s.name === 'lb')!.env.LB_STICKY).toBe('1');
    expect(apiConfigOf(t).sessions).toBe('redis');
    expect(plan(full(), ctx).find((s) => s.name === 'lb')!.env.LB_STICKY).toBe('0');
    const secure = parseTopology({ ...full(), loadBalancer: { securityHeaders: true } });
    expect(plan(secure, ctx).find((s) => s.name === 'lb')!.env.LB_SECURITY_HEADERS).toBe('1');
  });

  it('renders the rate limit only when it is on, and the replica apply delay', () => {
    const t = full();
    t.database.replicaApplyDelayMs = 500;
    const specs = plan(t, ctx);
    expect(specs.find((s) => s.name === 'lb')!.env.RATE_LIMIT_RPS).toBe('5000');
    expect(specs.find((s) => s.name === 'db-replica-1')!.env.APPLY_DELAY_MS).toBe('500');
    t.rateLimit.enabled = false;
    expect(plan(t, ctx).find((s) => s.name === 'lb')!.env.RATE_LIMIT_RPS).toBe('0');
  });
});

describe('diff', () => {
  it('finds nothing between equal topologies', () => {
    expect(diff(full(), full())).toEqual([]);
  });

  it('scales API instances live and names the added and removed ones', () => {
    const a = full();
    const b = full();
    b.api.instances = 5;
    const up = diff(a, b);
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ field: 'api.instances', kind: 'live', services: ['api-4', 'api-5'] });
    const c = full();
    c.api.instances = 2;
    expect(diff(b, c)[0]).toMatchObject({ kind: 'live', services: ['api-3', 'api-4', 'api-5'] });
  });

  it('applies cache and routing switches live and balancer settings with a restart of the balancer', () => {
    const a = full();
    const b = full();
    b.cache.strategy = 'write-through';
    b.database.readYourWrites = true;
    b.database.replicaApplyDelayMs = 500;
    expect(isLive(diff(a, b))).toBe(true);
    b.loadBalancer.algorithm = 'leastconn';
    const changes = diff(a, b);
    expect(isLive(changes)).toBe(false);
    expect(changes.find((c) => c.field === 'loadBalancer.algorithm')).toMatchObject({
      kind: 'restart',
      services: ['lb'],
    });
  });

  it('moves the entry port with the load balancer', () => {
    const a = getPreset('single-server').topology;
    const b = getPreset('three-tier').topology;
    const c = diff(a, b).find((x) => x.field === 'loadBalancer.enabled')!;
    expect(c.kind).toBe('restart');
    expect(c.services).toEqual(['api-1', 'lb']);
  });

  it('treats settings of a component that stays off as touching nothing', () => {
    const a = getPreset('three-tier').topology;
    const b = structuredClone(a);
    b.cache.ttlSeconds = 300;
    b.rateLimit.requestsPerSecond = 10;
    const changes = diff(a, b);
    expect(changes.map((c) => c.services)).toEqual([[], []]);
    expect(isLive(changes)).toBe(true);
  });

  it("switches the pooler live on the instances, changes PgBouncer's pool live and max_connections with a restart", () => {
    const a = getPreset('read-replicas').topology;
    const b = structuredClone(a);
    b.database.pooler = 'pgbouncer';
    b.database.poolSize = 10;
    b.database.maxConnections = 50;
    expect(diff(a, b)).toEqual([
      expect.objectContaining({ field: 'database.pooler', kind: 'live', services: ['api-1', 'api-2', 'api-3'] }),
      expect.objectContaining({
        field: 'database.poolSize',
        kind: 'live',
        services: ['db-primary', 'db-replica-1', 'db-replica-2'],
      }),
      expect.objectContaining({ field: 'database.maxConnections', kind: 'restart', services: ['db-primary'] }),
    ]);
    // Without the pooler, its pool is kept for later and touches nothing now.
    const c = structuredClone(a);
    c.database.poolMode = 'session';
    expect(diff(a, c)).toEqual([expect.objectContaining({ field: 'database.poolMode', kind: 'live', services: [] })]);
  });

  it('turns the cache on live: Redis starts and every instance switches', () => {
    const a = getPreset('load-balanced').topology;
    const b = structuredClone(a);
    b.cache.enabled = true;
    expect(diff(a, b)).toEqual([
      expect.objectContaining({ field: 'cache.enabled', kind: 'live', services: ['cache', 'api-1', 'api-2', 'api-3'] }),
    ]);
  });
});
