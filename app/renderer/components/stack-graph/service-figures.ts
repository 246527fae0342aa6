// What each service shows, shared by the live graph and the report's diagram: its one live
// figure, the series its sparkline draws, and the faults it offers.
import { FAMILY, SERIES, seriesKey } from '../../../contract/series.js';
import { isReplicaName, SERVICE } from '../../../contract/services.js';
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

/** The node's live figure, as its own collector measured it. */
export function serviceFigure(s: ServiceStatus, v: Values, total: number): string {
  if (s.role === 'api')
    return `${fmt(v[FAMILY.apiRps.key(s.name)])} req/s${share(v[FAMILY.apiRps.key(s.name)], total)}`;
  if (s.role === 'cache') return `hit ${fmt(v[SERIES.redisHitRatio], 2)}`;
  if (isReplicaName(s.name))
    return v[seriesKey.lag(s.name, 'idle')] === 1
      ? 'lag: idle'
      : `lag ${fmt(v[seriesKey.lag(s.name, 'seconds')], 2, ' s')}`;
  if (s.name === SERVICE.primary) return `${fmt(v[FAMILY.dbQueriesOn.key('primary')])} q/s${connections(s.name, v)}`;
  if (s.role === 'lb' || s.role === 'cdn') return `${fmt(v[SERIES.rps])} req/s`;
  return '';
}

/** The series a node's sparkline draws (and what it is, for its label). */
export function sparkSeries(s: ServiceStatus): { key: string; what: string } {
  if (s.role === 'api') return { key: FAMILY.apiRps.key(s.name), what: 'requests/s it served' };
  if (s.role === 'cache') return { key: SERIES.redisHitRatio, what: 'hit ratio' };
  if (isReplicaName(s.name)) return { key: seriesKey.lag(s.name, 'seconds'), what: 'replication lag, s' };
  if (s.name === SERVICE.primary) return { key: FAMILY.dbQueriesOn.key('primary'), what: 'queries/s' };
  return { key: SERIES.rps, what: 'requests/s answered' };
}

const FAULTS: Record<string, Array<[FaultKind, string]>> = {
  api: [
    ['kill', 'kill'],
    ['pause', 'pause'],
    ['restart', 'restart'],
  ],
  cache: [['stop', 'stop']],
  replica: [
    ['pause-replay', 'pause replay'],
    ['resume-replay', 'resume replay'],
  ],
  primary: [['stop', 'stop']],
};

/** The faults a service offers in its state, and the way back (start, unpause). */
export function serviceFaults(s: ServiceStatus): Array<[FaultKind, string]> {
  const kind = s.role === 'db' ? (s.name === SERVICE.primary ? 'primary' : 'replica') : s.role;
  const recover: Array<[FaultKind, string]> =
    s.state === 'paused' ? [['unpause', 'unpause']] : s.state !== 'running' ? [['start', 'start']] : [];
  return [...(s.state === 'running' ? (FAULTS[kind] ?? []) : []), ...recover];
}

export const isBad = (s: ServiceStatus) => s.state !== 'running' || s.health === 'unhealthy';
