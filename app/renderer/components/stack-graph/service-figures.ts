// What each service shows, shared by the live graph and the report's diagram: its one live
// figure, the series its sparkline draws, and the faults it offers.
import { FAMILY, SERIES, seriesKey } from '../../../contract/series.js';
import { isDbNodeName, isReplicaName, isShardName, SERVICE } from '../../../contract/services.js';
import type { FaultKind, ServiceStatus } from '../../../contract/stack.js';

type Values = Record<string, number | null | undefined>;

export const fmt = (v: number | null | undefined, d = 0, unit = '') =>
  typeof v === 'number' ? `${v.toFixed(d)}${unit}` : '–';

/** An instance's share of the requests all instances served this second (" · 33%"), or nothing. */
function share(rps: number | null | undefined, apiTotal: number): string {
  return typeof rps === 'number' && apiTotal > 0 ? ` · ${Math.round((rps / apiTotal) * 100)}%` : '';
}

export function apiTotal(services: ServiceStatus[], v: Values): number {
  return services.filter((s) => s.role === 'api').reduce((sum, s) => sum + (v[FAMILY.apiRps.key(s.name)] ?? 0), 0);
}

/** " · 37/100 conn" (held of max_connections, the primary's), " · 4 wait" in PgBouncer's queue. */
function connections(node: string, v: Values): string {
  const held = v[FAMILY.dbConnections.key(node)];
  const max = v[SERIES.dbMaxConnections];
  const waiting = v[seriesKey.pooler(node, 'waiting')];
  return (
    (typeof held === 'number' ? ` · ${held}${typeof max === 'number' ? `/${max}` : ''} conn` : '') +
    (typeof waiting === 'number' && waiting > 0 ? ` · ${waiting} wait` : '')
  );
}

/** The database node that is primary now: under HA the one Patroni's leader key names (the
 *  primary's name is where the cluster started), else db-primary. Null during an election. */
export function leaderOf(services: ServiceStatus[], v: Values): string | null {
  const ha = services.some((s) => s.name === SERVICE.dbRouter);
  if (!ha) return SERVICE.primary;
  return services.find((s) => isDbNodeName(s.name) && v[FAMILY.haLeader.key(s.name)] === 1)?.name ?? null;
}

/** Queries/s through the HA router: writes and reads on the leader, reads on the replicas' port. */
export function routerQueries(v: Values): number | null {
  const onLeader = v[FAMILY.dbQueriesOn.key('primary')];
  const onReplicas = v[FAMILY.dbQueriesOn.key(`${SERVICE.dbRouter}:5433`)];
  if (typeof onLeader !== 'number' && typeof onReplicas !== 'number') return null;
  return (onLeader ?? 0) + (onReplicas ?? 0);
}

/** A database node's figure: the primary's queries and connections, a replica's lag. */
function dbFigure(s: ServiceStatus, v: Values, leader: string | null, ha: boolean): string {
  const lag = () =>
    v[seriesKey.lag(s.name, 'idle')] === 1 ? 'lag: idle' : `lag ${fmt(v[seriesKey.lag(s.name, 'seconds')], 2, ' s')}`;
  if (!ha)
    return s.name === SERVICE.primary
      ? `${fmt(v[FAMILY.dbQueriesOn.key('primary')])} q/s${connections(s.name, v)}`
      : lag();
  if (leader === null) return 'election…';
  return s.name === leader
    ? `leader · ${fmt(v[FAMILY.dbQueriesOn.key('primary')])} q/s${connections(s.name, v)}`
    : `replica · ${lag()}`;
}

/** The node's live figure, as its own collector measured it. */
export function serviceFigure(s: ServiceStatus, v: Values, total: number, services: ServiceStatus[] = []): string {
  const ha = services.some((x) => x.name === SERVICE.dbRouter);
  if (isDbNodeName(s.name)) return dbFigure(s, v, leaderOf(services, v), ha);
  if (isShardName(s.name)) return `shard · ${fmt(v[FAMILY.dbQueriesOn.key(s.name)])} q/s${connections(s.name, v)}`;
  if (s.role === 'dbrouter') return `${fmt(routerQueries(v))} q/s → ${leaderOf(services, v) ?? 'no leader'}`;
  if (s.role === 'etcd') {
    const healthy = v[FAMILY.etcdHealthy.key(s.name)];
    return healthy === 1 ? 'healthy · quorum' : healthy === 0 ? 'no raft leader: quorum lost' : '–';
  }
  if (s.role === 'api')
    return `${fmt(v[FAMILY.apiRps.key(s.name)])} req/s${share(v[FAMILY.apiRps.key(s.name)], total)}`;
  if (s.role === 'cache') return `hit ${fmt(v[SERIES.redisHitRatio], 2)}`;
  if (s.role === 'lb' || s.role === 'cdn') return `${fmt(v[SERIES.rps])} req/s`;
  return '';
}

/** The series a node's sparkline draws (and what it is, for its label). */
export function sparkSeries(s: ServiceStatus): { key: string; what: string } {
  if (s.role === 'api') return { key: FAMILY.apiRps.key(s.name), what: 'requests/s it served' };
  if (s.role === 'cache') return { key: SERIES.redisHitRatio, what: 'hit ratio' };
  if (isReplicaName(s.name)) return { key: seriesKey.lag(s.name, 'seconds'), what: 'replication lag, s' };
  if (s.name === SERVICE.primary) return { key: FAMILY.dbQueriesOn.key('primary'), what: 'queries/s' };
  if (isShardName(s.name)) return { key: FAMILY.dbQueriesOn.key(s.name), what: 'queries/s' };
  return { key: SERIES.rps, what: 'requests/s answered' };
}

const FAULTS: Record<string, Array<[FaultKind, string]>> = {
  api: [
    ['kill', 'kill'],
    ['pause', 'pause'],
    ['restart', 'restart'],
    // A tenth of its CPU limit, and back: the balancing lesson's slow instance.
    ['slow', 'slow (a tenth of its CPU)'],
    ['unslow', 'give its CPU back'],
  ],
  cache: [['stop', 'stop']],
  replica: [
    ['pause-replay', 'pause replay'],
    ['resume-replay', 'resume replay'],
  ],
  primary: [['stop', 'stop']],
  // Under HA any node may lead: killing one is the failover lesson done by hand.
  'ha-node': [
    ['kill', 'kill'],
    ['stop', 'stop'],
    ['pause', 'pause'],
  ],
  // Losing etcd members: with 3, one lost changes nothing; two lost and writes stop.
  etcd: [
    ['stop', 'stop'],
    ['pause', 'pause'],
  ],
  dbrouter: [['restart', 'restart']],
};

/** The faults a service offers in its state, and the way back (start, unpause). */
export function serviceFaults(s: ServiceStatus): Array<[FaultKind, string]> {
  const kind =
    s.role === 'db'
      ? s.ports.patroni
        ? 'ha-node'
        : s.name === SERVICE.primary || isShardName(s.name)
          ? 'primary'
          : 'replica'
      : s.role;
  const recover: Array<[FaultKind, string]> =
    s.state === 'paused' ? [['unpause', 'unpause']] : s.state !== 'running' ? [['start', 'start']] : [];
  return [...(s.state === 'running' ? (FAULTS[kind] ?? []) : []), ...recover];
}

export const isBad = (s: ServiceStatus) => s.state !== 'running' || s.health === 'unhealthy';
