// One preset per stage of the "from one user to millions" path (DESIGN.md), plus "full".
import { LabError } from '../../contract/errors.js';
import { parseTopology, type Topology, type TopologyInput } from './schema.js';

export interface Preset {
  name: string;
  stage: number | null;
  title: string;
  summary: string;
  topology: Topology;
}

const define = (name: string, stage: number | null, title: string, summary: string, t: TopologyInput): Preset => ({
  name,
  stage,
  title,
  summary,
  topology: parseTopology(t),
});

export const PRESETS: readonly Preset[] = [
  define(
    'single-server',
    1,
    'Single server',
    'One API instance and its database on one server: both on the same core, competing for it; the instance is published directly.',
    { loadBalancer: { enabled: false }, api: { instances: 1 }, database: { sharesApiCores: true } },
  ),
  define(
    'three-tier',
    2,
    'Three tiers',
    'Web tier (load balancer), application tier (one API instance), data tier (PostgreSQL).',
    { api: { instances: 1 } },
  ),
  define(
    'load-balanced',
    3,
    'Horizontal scaling',
    'Three API instances behind HAProxy with health checks and failover.',
    { api: { instances: 3 } },
  ),
  define('edge-cache', 4, 'Edge cache', 'An nginx edge cache (CDN) in front of the balancer keeps static files.', {
    api: { instances: 3 },
    edgeCache: { enabled: true },
  }),
  define(
    'app-cache',
    5,
    'Application cache',
    'Redis cache-aside in front of the database: hot reads stop reaching PostgreSQL.',
    { api: { instances: 3 }, edgeCache: { enabled: true }, cache: { enabled: true } },
  ),
  define(
    'read-replicas',
    6,
    'Read replicas',
    'Two streaming replicas take the reads; watch replication lag and stale reads.',
    { api: { instances: 3 }, edgeCache: { enabled: true }, cache: { enabled: true }, database: { replicas: 2 } },
  ),
  define(
    'ha',
    7,
    'High availability',
    'Patroni runs the primary and two replicas with its leader key in a three-member etcd; HAProxy sends writes to whoever leads. Kill the leader and a replica takes over.',
    {
      api: { instances: 3 },
      edgeCache: { enabled: true },
      cache: { enabled: true },
      database: { replicas: 2, ha: true, etcdMembers: 3 },
    },
  ),
  define(
    'autoscaling',
    null,
    'Autoscaling',
    "One API instance at half a CPU behind the balancer; the engine's autoscaler (the Kubernetes HPA rule) adds instances when their CPU passes 50% of the limit, up to four, and removes them after a 30 s window. The database has its indexes: the instances are what a spike exhausts.",
    {
      api: {
        instances: 1,
        cpus: 0.5,
        autoscale: { enabled: true, min: 1, max: 4, metric: 'cpu', targetCpuPercent: 50 },
      },
      // The expensive read indexed: the instances' CPU, not the database, is what a spike exhausts.
      database: { indexes: true },
    },
  ),
  define(
    'connection-pooling',
    null,
    'Connection pooling',
    'Eight API instances, each keeping its 10 connections open, against a primary that allows 40: the slots run out. PgBouncer is one switch away.',
    { api: { instances: 8 }, database: { maxConnections: 40 } },
  ),
  define(
    'sharding',
    null,
    'Sharding',
    "Orders spread over three PostgreSQL primaries by range of product id: the API writes each order on its product's shard and asks every shard for a category page. Popular products make one shard hot; hash sharding spreads them.",
    { api: { instances: 3 }, database: { shards: 3, sharding: 'range' } },
  ),
  define(
    'full',
    null,
    'Full stack',
    'Everything at once: 3 API instances, cache, edge cache, 2 replicas, rate limiting at the balancer.',
    {
      api: { instances: 3 },
      edgeCache: { enabled: true },
      cache: { enabled: true },
      database: { replicas: 2 },
      rateLimit: { enabled: true, requestsPerSecond: 5000 },
    },
  ),
];

export function presetNames(): string[] {
  return PRESETS.map((p) => p.name);
}

export function getPreset(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new LabError(`unknown preset "${name}"`, 'BAD_INPUT', `Choose one of ${presetNames().join(', ')}.`);
  return p;
}
