// The run's charts, one point a second: throughput, latency, where the time goes, errors, cache
// hit ratio, replication lag, stale reads, requests per instance, database queries and
// connections per node.
import type { RunEvent, RunRecord, TimelinePoint } from '../../contract/runs.js';
import { FAILURE_LABELS, FAILURE_REASONS, FAMILY, namesIn, queryOf, SERIES, seriesKey } from '../../contract/series.js';
import { ChartGrid } from '../charts/ChartGrid.js';
import { SeriesChart, type SeriesChartProps } from './SeriesChart.js';

/** A workload's thresholds on one metric as lines on a chart, green while the last point passes:
 *  "p(95)<300" on the latency chart (against load.p95), "rate<0.01" on the error chart. */
function thresholdLines(
  run: RunRecord | null,
  last: TimelinePoint | undefined,
  metric: string,
  seriesOf: (aggregation: string) => string | null,
) {
  return (run?.workload.thresholds[metric] ?? []).flatMap((expr) => {
    const m = /^(p\((\d+)\)|rate)<=?([\d.]+)$/.exec(expr.replace(/\s/g, ''));
    const key = m && seriesOf(m[2] ?? m[1]);
    if (!m || !key) return [];
    const actual = last?.v[key];
    return [{ y: Number(m[3]), label: expr, passing: typeof actual !== 'number' || actual < Number(m[3]) }];
  });
}

const PERCENTILE_SERIES: Record<string, string> = {
  '50': SERIES.p50,
  '90': SERIES.p90,
  '95': SERIES.p95,
  '99': SERIES.p99,
};

export type ChartDef = Omit<SeriesChartProps, 'points' | 'events'> & { id: string };

/** The charts of a run, in their default order: what each draws, named. */
export function chartDefs(
  points: TimelinePoint[],
  run: RunRecord | null,
  /** monitoring.queries as the stack has them now (a run's own topology has them as they were at its start). */
  queries: string[] = run?.topology?.monitoring?.queries ?? [],
): ChartDef[] {
  const last = points[points.length - 1];
  const instances = namesIn(points, FAMILY.instance);
  const replicas = namesIn(points, FAMILY.lagSeconds);
  const nodes = namesIn(points, FAMILY.dbQueriesOn);
  const containers = namesIn(points, FAMILY.containerCpu);
  const servers = namesIn(points, FAMILY.balancerSessions);
  const clientClasses = namesIn(points, FAMILY.clientCount);
  const versions = namesIn(points, FAMILY.versionCount);
  const connNodes = namesIn(points, FAMILY.dbConnections);
  const poolNodes = namesIn(points, FAMILY.poolerWaiting);
  const reasons = new Set(namesIn(points, FAMILY.errorRate));
  const edgeHits = namesIn(points, FAMILY.cache).includes('EDGE_HIT');
  const chart = (id: string, def: Omit<ChartDef, 'id' | 'testId'>): ChartDef => ({ id, testId: `chart-${id}`, ...def });
  return [
    chart('throughput', {
      title: 'Throughput (requests/s)',
      series: [
        { key: SERIES.rps, name: 'completed' },
        { key: SERIES.targetRate, name: 'target' },
        { key: SERIES.dropped, name: 'dropped' },
      ],
    }),
    chart('latency', {
      title: 'Latency (ms)',
      unit: '',
      thresholds: thresholdLines(run, last, 'http_req_duration', (p) => PERCENTILE_SERIES[p] ?? null),
      series: [
        { key: SERIES.p50, name: 'p50' },
        { key: SERIES.p95, name: 'p95' },
        { key: SERIES.p99, name: 'p99' },
        { key: FAMILY.endpointP95.key('write'), name: 'writes p95' },
      ],
    }),
    chart('latency-cache', {
      title: 'p95 by cache result (ms)',
      series: [
        { key: seriesKey.latencyByCache('HIT', 'p95'), name: 'hit' },
        { key: seriesKey.latencyByCache('MISS', 'p95'), name: 'miss' },
        { key: seriesKey.latencyByCache('BYPASS', 'p95'), name: 'no cache' },
        { key: seriesKey.latencyByCache('EDGE_HIT', 'p95'), name: 'edge hit' },
      ],
    }),
    chart('timing', {
      title: 'Where the time goes (Server-Timing, ms)',
      series: [
        { key: FAMILY.timing.key('cache'), name: 'cache' },
        { key: FAMILY.timing.key('db'), name: 'database' },
        { key: FAMILY.timing.key('app'), name: 'app' },
        { key: FAMILY.timing.key('origin'), name: 'distance to the origin' },
      ],
    }),
    chart('errors', {
      title: 'Error rate, by reason',
      thresholds: thresholdLines(run, last, 'http_req_failed', (a) => (a === 'rate' ? SERIES.errorRate : null)),
      series: [
        { key: SERIES.errorRate, name: 'all errors' },
        ...FAILURE_REASONS.filter((r) => reasons.has(r)).map((r) => ({
          key: FAMILY.errorRate.key(r),
          name: FAILURE_LABELS[r],
        })),
      ],
    }),
    chart('hit-ratio', {
      title: 'Cache hit ratio',
      series: [
        { key: SERIES.redisHitRatio, name: 'Redis' },
        { key: SERIES.edgeHitRatio, name: 'edge (nginx)' },
        { key: SERIES.hitRatio, name: 'seen by clients' },
      ],
    }),
    chart('cache-memory', {
      title: 'Redis: memory used (MB) and keys evicted (per s)',
      series: [
        { key: SERIES.redisMemory, name: 'memory used MB', scale: 1 / (1024 * 1024) },
        { key: SERIES.redisEvictions, name: 'evicted/s' },
      ],
      thresholds: run?.topology?.cache?.enabled
        ? [
            {
              y: run.topology.cache.maxMemoryMb,
              label: `maxmemory ${run.topology.cache.maxMemoryMb} MB`,
              passing: true,
            },
          ]
        : [],
    }),
    chart('write-queue', {
      title: 'Write-behind: orders queued in Redis, acknowledged but not in PostgreSQL, and lost',
      series: [
        { key: SERIES.writesQueued, name: 'queued (XLEN)' },
        { key: SERIES.writesUnflushed, name: 'not yet in PostgreSQL' },
        { key: SERIES.writesLost, name: 'lost' },
      ],
    }),
    chart('write-flow', {
      title: 'Write-behind: orders acknowledged from the queue, flushed to PostgreSQL, and written directly (per s)',
      series: [
        { key: SERIES.writesAcked, name: 'acknowledged (queued)' },
        { key: SERIES.writesFlushed, name: 'flushed' },
        { key: SERIES.writesDirect, name: 'direct (Redis down)' },
      ],
    }),
    chart('lag', {
      title: 'Replication lag (s)',
      series: replicas.map((r) => ({ key: seriesKey.lag(r, 'seconds'), name: r })),
    }),
    chart('stale', {
      title: 'Stale reads, stale prices and lost sessions (per s)',
      series: [
        { key: SERIES.stale, name: 'stale reads' },
        { key: SERIES.stalePrices, name: 'stale prices (edge or Redis)' },
        { key: FAMILY.session.key('lost'), name: 'sessions lost' },
      ],
    }),
    chart('instances', {
      title: 'Requests by who served them (per s)',
      series: [
        ...instances.map((i) => ({ key: FAMILY.instance.key(i), name: i })),
        ...(edgeHits ? [{ key: FAMILY.cache.key('EDGE_HIT'), name: 'edge cache' }] : []),
      ],
    }),
    chart('balancer-sessions', {
      title: 'Balancer: sessions open per instance, and queued (HAProxy, each second)',
      series: servers.flatMap((n) => [
        { key: seriesKey.balancer(n, 'sessions'), name: n },
        { key: seriesKey.balancer(n, 'queue'), name: `${n} queued` },
      ]),
    }),
    chart('balancer-time', {
      title: 'Balancer: response time per instance (HAProxy, mean of its last 1024, ms)',
      series: servers.map((n) => ({ key: seriesKey.balancer(n, 'rtime'), name: n })),
    }),
    chart('clients', {
      title: 'Requests by client, and refused by its rate limit (429, per s)',
      series: clientClasses.flatMap((c) => [
        { key: FAMILY.clientCount.key(c), name: `${c} answered` },
        { key: FAMILY.clientLimited.key(c), name: `${c} refused` },
      ]),
    }),
    chart('version-traffic', {
      title: 'By API version: responses and failed responses (per s)',
      series: versions.flatMap((v) => [
        { key: FAMILY.versionCount.key(v), name: `${v} answered` },
        { key: FAMILY.versionFailed.key(v), name: `${v} failed` },
      ]),
    }),
    chart('version-latency', {
      title: 'By API version: p95 (ms)',
      series: versions.map((v) => ({ key: FAMILY.versionP95.key(v), name: v })),
    }),
    chart('capacity', {
      title: 'API instances (serving: answered this second)',
      series: [
        { key: SERIES.instancesServing, name: 'serving' },
        { key: SERIES.apiInstances, name: 'running' },
        { key: SERIES.autoscaleDesired, name: 'autoscaler: desired' },
        { key: SERIES.autoscaleRecommended, name: 'autoscaler: rule before windows' },
      ],
    }),
    chart('db', {
      title: 'Database queries per node (per s)',
      series: nodes.map((n) => ({ key: FAMILY.dbQueriesOn.key(n), name: n })),
    }),
    chart('connections', {
      title: 'Database connections (held, and waiting in PgBouncer)',
      series: [
        ...connNodes.map((n) => ({ key: FAMILY.dbConnections.key(n), name: `${n} held` })),
        { key: SERIES.dbMaxConnections, name: 'primary max_connections' },
        ...poolNodes.map((n) => ({ key: seriesKey.pooler(n, 'waiting'), name: `${n} waiting` })),
      ],
    }),
    chart('cpu', {
      title: 'CPU per container (% of a core)',
      series: containers.map((c) => ({ key: seriesKey.container(c, 'cpu'), name: c })),
    }),
    chart('throttled', {
      title: 'CPU limit reached (throttled 100 ms periods per s)',
      series: containers.map((c) => ({ key: seriesKey.container(c, 'throttled'), name: c })),
    }),
    chart('memory', {
      title: 'Memory per container (MB)',
      series: containers.map((c) => ({ key: seriesKey.container(c, 'mem'), name: c })),
      scale: 1 / (1024 * 1024),
    }),
    ...queryCharts(points, queries).map(([id, def]) => chart(id, def)),
  ];
}

const shorten = (s: string, max = 90) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** monitoring.queries: a chart for each charted PromQL query the points answer, its series by labels. */
function queryCharts(points: TimelinePoint[], queries: string[]): Array<[string, Omit<ChartDef, 'id' | 'testId'>]> {
  const byIndex = new Map<number, string[]>();
  for (const name of namesIn(points, FAMILY.query)) {
    const { index } = queryOf(name);
    byIndex.set(index, [...(byIndex.get(index) ?? []), name]);
  }
  return [...byIndex.keys()]
    .sort((a, b) => a - b)
    .map((i) => [
      `query-${i}`,
      {
        title: `PromQL: ${shorten(queries[i] ?? `query ${i + 1}`)}`,
        series: byIndex.get(i)!.map((n) => ({ key: FAMILY.query.key(n), name: queryOf(n).series })),
      },
    ]);
}

export function LiveCharts({
  points,
  events,
  run,
  arrangeable = false,
  queries,
}: {
  points: TimelinePoint[];
  events: RunEvent[];
  run: RunRecord | null;
  /** The console's grid: charts the user can reorder, collapse and enlarge (a report prints them as they are). */
  arrangeable?: boolean;
  /** The charted PromQL queries' expressions, for their charts' titles (a run's own by default). */
  queries?: string[];
}) {
  const defs = chartDefs(points, run, queries);
  if (arrangeable) return <ChartGrid defs={defs} points={points} events={events} />;
  return (
    <div className="charts">
      {defs.map(({ id, ...d }) => (
        <SeriesChart key={id} {...d} points={points} events={events} />
      ))}
    </div>
  );
}
