// The running stack as a graph, decided apart from drawing it: one row per tier from the client
// inward, and an edge for each path requests take, sized by the requests/s measured on it and
// coloured by its failures. An edge carries a figure only where one was measured for that edge;
// data-tier edges share their target's total (said in their title), never a made-up split.
import { EDGE_SERVED, FAMILY, SERIES, seriesKey } from '../../../contract/series.js';
import {
  isApiName,
  isDbNodeName,
  isEtcdName,
  isReplicaName,
  isShardName,
  SERVICE,
  serviceRank,
} from '../../../contract/services.js';
import { leaderOf, routerQueries } from './service-figures.js';
import type { ServiceStatus } from '../../../contract/stack.js';

type Values = Record<string, number | null | undefined>;

export const CLIENT = 'client';
export const NODE_W = 150;
export const NODE_H = 84;
const GAP_X = 18;
const GAP_Y = 46;

export interface GraphNode {
  id: string;
  x: number;
  y: number;
  service: ServiceStatus | null;
}

export type EdgeHealth = 'ok' | 'warn' | 'bad' | 'down';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Requests (or queries) per second on this path; null where nothing was measured. */
  rate: number | null;
  /** Drawn width, from the rate: 1 px idle up to 7 px. */
  width: number;
  health: EdgeHealth;
  /** Shown on the edge: the measured figure, or nothing. */
  label: string | null;
  /** Said on hover: what the figure is and where it was measured. */
  title: string;
  /** Replication, not requests: drawn dashed. */
  replication?: boolean;
}

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function edgeWidth(rate: number | null): number {
  if (!rate || rate <= 0) return 1;
  return Math.min(7, 1.5 + Math.log2(1 + rate / 10));
}

function errorHealth(errorRate: number | null): EdgeHealth {
  if (errorRate === null) return 'ok';
  return errorRate >= 0.05 ? 'bad' : errorRate >= 0.01 ? 'warn' : 'ok';
}

/** The tiers, each a row: client, edge, balancer, instances, cache and primary, replicas. Under HA:
 *  cache and router, the node that leads now (`leader`), the other nodes and etcd. */
function rows(services: ServiceStatus[], leader: string | null): ServiceStatus[][] {
  const sorted = [...services].sort(
    (a, b) => serviceRank(a.name) - serviceRank(b.name) || a.name.localeCompare(b.name, 'en', { numeric: true }),
  );
  const front = [
    sorted.filter((s) => s.name === SERVICE.cdn),
    sorted.filter((s) => s.name === SERVICE.lb),
    sorted.filter((s) => isApiName(s.name)),
  ];
  // Under HA any node may lead: the leader moves up to its own row when Patroni promotes another.
  const tiers = sorted.some((s) => s.name === SERVICE.dbRouter)
    ? [
        ...front,
        sorted.filter((s) => s.name === SERVICE.cache || s.name === SERVICE.dbRouter),
        sorted.filter((s) => s.name === leader),
        sorted.filter((s) => (isDbNodeName(s.name) && s.name !== leader) || isEtcdName(s.name)),
      ]
    : [
        ...front,
        sorted.filter((s) => s.name === SERVICE.cache || s.name === SERVICE.primary || isShardName(s.name)),
        sorted.filter((s) => isReplicaName(s.name)),
      ];
  return tiers.filter((t) => t.length > 0);
}

export function layoutNodes(services: ServiceStatus[], leader: string | null = SERVICE.primary): GraphNode[] {
  const tiers = [[null] as Array<ServiceStatus | null>, ...rows(services, leader)];
  const widest = Math.max(...tiers.map((t) => t.length));
  const span = (n: number) => n * NODE_W + (n - 1) * GAP_X;
  return tiers.flatMap((tier, row) =>
    tier.map((s, i) => ({
      id: s?.name ?? CLIENT,
      x: (span(widest) - span(tier.length)) / 2 + i * (NODE_W + GAP_X),
      y: row * (NODE_H + GAP_Y),
      service: s,
    })),
  );
}

export function graphHeight(nodes: GraphNode[]): number {
  return Math.max(...nodes.map((n) => n.y)) + NODE_H;
}

export function layoutEdges(services: ServiceStatus[], v: Values): GraphEdge[] {
  const has = (name: string) => services.some((s) => s.name === name);
  const byName = new Map(services.map((s) => [s.name, s]));
  const apis = services.filter((s) => isApiName(s.name));
  const replicas = services.filter((s) => isReplicaName(s.name));
  const edges: GraphEdge[] = [];
  const add = (e: Omit<GraphEdge, 'id' | 'width'> & { width?: number }) => {
    const down = byName.get(e.target);
    const health: EdgeHealth = down && down.state !== 'running' ? 'down' : e.health;
    edges.push({ ...e, health, id: `${e.source}->${e.target}`, width: e.width ?? edgeWidth(e.rate) });
  };
  const rps = num(v[SERIES.rps]);
  const errors = errorHealth(num(v[SERIES.errorRate]));
  const entry = has(SERVICE.cdn) ? SERVICE.cdn : has(SERVICE.lb) ? SERVICE.lb : apis[0]?.name;
  if (entry)
    add({
      source: CLIENT,
      target: entry,
      rate: rps,
      health: errors,
      label: rps === null ? null : `${Math.round(rps)}/s`,
      title: 'requests/s answered, measured by the load generator',
    });
  if (has(SERVICE.cdn) && has(SERVICE.lb)) {
    // What the edge passed on: every answer not served from its own cache.
    let edgeServed = 0;
    for (const [k, x] of Object.entries(v)) {
      const result = FAMILY.cache.nameOf(k);
      if (result && EDGE_SERVED.has(result) && typeof x === 'number') edgeServed += x;
    }
    const passed = rps === null ? null : Math.max(0, rps - edgeServed);
    add({
      source: SERVICE.cdn,
      target: SERVICE.lb,
      rate: passed,
      health: errors,
      label: passed === null ? null : `${Math.round(passed)}/s`,
      title: 'requests/s the edge passed to the balancer (answers not served from its cache)',
    });
  }
  if (has(SERVICE.lb))
    for (const a of apis) {
      const served = num(v[FAMILY.instance.key(a.name)]);
      const up = num(v[seriesKey.balancer(a.name, 'up')]);
      add({
        source: SERVICE.lb,
        target: a.name,
        rate: served,
        health: up === 0 ? 'down' : 'ok',
        label: served === null ? null : `${Math.round(served)}/s`,
        title: `responses/s ${a.name} served, by the load generator's count${up === 0 ? '; HAProxy has it down' : ''}`,
      });
    }
  const dataTargets: Array<[string, number | null, string]> = [];
  if (has(SERVICE.cache)) {
    const hits = num(v[SERIES.redisHits]);
    const misses = num(v[SERIES.redisMisses]);
    dataTargets.push([
      SERVICE.cache,
      hits === null && misses === null ? null : (hits ?? 0) + (misses ?? 0),
      'Redis lookups/s (hits + misses), all instances together',
    ]);
  }
  const ha = has(SERVICE.dbRouter);
  if (ha)
    dataTargets.push([
      SERVICE.dbRouter,
      routerQueries(v),
      'queries/s through the database router, all instances together',
    ]);
  else if (has(SERVICE.primary))
    dataTargets.push([
      SERVICE.primary,
      num(v[FAMILY.dbQueriesOn.key('primary')]),
      'queries/s on the primary, all instances together',
    ]);
  for (const shard of services.filter((s) => isShardName(s.name)))
    dataTargets.push([
      shard.name,
      num(v[FAMILY.dbQueriesOn.key(shard.name)]),
      `queries/s on shard ${shard.name}, all instances together`,
    ]);
  for (const r of ha ? [] : replicas)
    dataTargets.push([
      r.name,
      num(v[FAMILY.dbQueriesOn.key(r.name)]),
      `queries/s on ${r.name}, all instances together`,
    ]);
  for (const [target, total, title] of dataTargets)
    for (const a of apis)
      add({
        source: a.name,
        target,
        rate: total,
        width: edgeWidth(total === null ? null : total / Math.max(1, apis.length)),
        health: 'ok',
        label: null,
        title,
      });
  if (ha) {
    haEdges(services, v, add);
    return edges;
  }
  for (const r of replicas) {
    const idle = v[seriesKey.lag(r.name, 'idle')] === 1;
    const lag = num(v[seriesKey.lag(r.name, 'seconds')]);
    add({
      source: SERVICE.primary,
      target: r.name,
      rate: null,
      width: 1.5,
      health: lag !== null && lag >= 1 ? 'warn' : 'ok',
      label: idle ? 'idle' : lag === null ? null : `lag ${lag.toFixed(2)} s`,
      title: `WAL streamed from the primary to ${r.name}; lag as ${r.name} replays it`,
      replication: true,
    });
  }
  return edges;
}

/** Under HA: the router to the leader (writes, and reads when it must) and to the replicas
 *  (reads), and WAL from whoever leads now to the others. */
function haEdges(
  services: ServiceStatus[],
  v: Values,
  add: (e: Omit<GraphEdge, 'id' | 'width'> & { width?: number }) => void,
) {
  const leader = leaderOf(services, v);
  const nodes = services.filter((s) => isDbNodeName(s.name));
  const writes = num(v[FAMILY.dbQueriesOn.key('primary')]);
  const reads = num(v[FAMILY.dbQueriesOn.key(`${SERVICE.dbRouter}:5433`)]);
  for (const n of nodes) {
    const isLeader = n.name === leader;
    const rate = isLeader ? writes : reads;
    add({
      source: SERVICE.dbRouter,
      target: n.name,
      rate,
      health: 'ok',
      label: isLeader && rate !== null ? `${Math.round(rate)} q/s` : null,
      title: isLeader
        ? `queries/s on the leader (${n.name}), through the router's write port`
        : "queries/s on the router's read port, shared by every replica",
    });
  }
  if (!leader) return;
  for (const n of nodes) {
    if (n.name === leader) continue;
    const idle = v[seriesKey.lag(n.name, 'idle')] === 1;
    const lag = num(v[seriesKey.lag(n.name, 'seconds')]);
    add({
      source: leader,
      target: n.name,
      rate: null,
      width: 1.5,
      health: lag !== null && lag >= 1 ? 'warn' : 'ok',
      label: idle ? 'idle' : lag === null ? null : `lag ${lag.toFixed(2)} s`,
      title: `WAL streamed from the leader (${leader}) to ${n.name}; lag as ${n.name} replays it`,
      replication: true,
    });
  }
}
