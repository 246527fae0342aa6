// The run's charts, one point a second: throughput, latency, where the time goes, errors, cache
// hit ratio, replication lag, stale reads, requests per instance, database queries per node.
import type { RunEvent, RunRecord, TimelinePoint } from '../../contract/runs.js';
import { seriesNames } from '../hooks/timeline.js';
import { SeriesChart } from './SeriesChart.js';

/** A workload's thresholds on one metric as lines on a chart, green while the last point passes:
 *  "p(95)<300" on the latency chart (against load.p95), "rate<0.01" on the error chart. */
function thresholdLines(run: RunRecord | null, last: TimelinePoint | undefined, metric: string, seriesOf: (aggregation: string) => string | null) {
  return (run?.workload.thresholds[metric] ?? []).flatMap((expr) => {
    const m = /^(p\((\d+)\)|rate)<=?([\d.]+)$/.exec(expr.replace(/\s/g, ''));
    const key = m && seriesOf(m[2] ?? m[1]);
    if (!m || !key) return [];
    const actual = last?.v[key];
    return [{ y: Number(m[3]), label: expr, passing: typeof actual !== 'number' || actual < Number(m[3]) }];
  });
}

export function LiveCharts({ points, events, run }: { points: TimelinePoint[]; events: RunEvent[]; run: RunRecord | null }) {
  const last = points[points.length - 1];
  const instances = seriesNames(points, 'load.instance.');
  const replicas = seriesNames(points, 'lag.', '.seconds');
  const nodes = seriesNames(points, 'db.queries.');
  const containers = seriesNames(points, 'container.', '.cpu');
  const common = { points, events };
  return (
    <div className="charts">
      <SeriesChart {...common} testId="chart-throughput" title="Throughput (requests/s)" series={[{ key: 'load.rps', name: 'completed' }, { key: 'load.target_rate', name: 'target' }, { key: 'load.dropped', name: 'dropped' }]} />
      <SeriesChart {...common} testId="chart-latency" title="Latency (ms)" unit="" thresholds={thresholdLines(run, last, 'http_req_duration', (p) => (p === 'rate' ? null : `load.p${p}`))}
        series={[{ key: 'load.p50', name: 'p50' }, { key: 'load.p95', name: 'p95' }, { key: 'load.p99', name: 'p99' }]} />
      <SeriesChart {...common} testId="chart-latency-cache" title="p95 by cache result (ms)" series={[{ key: 'load.latency.HIT.p95', name: 'hit' }, { key: 'load.latency.MISS.p95', name: 'miss' }, { key: 'load.latency.BYPASS.p95', name: 'no cache' }]} />
      <SeriesChart {...common} testId="chart-timing" title="Where the time goes (Server-Timing, ms)" series={[{ key: 'load.timing.cache', name: 'cache' }, { key: 'load.timing.db', name: 'database' }, { key: 'load.timing.app', name: 'app' }]} />
      <SeriesChart {...common} testId="chart-errors" title="Error rate" thresholds={thresholdLines(run, last, 'http_req_failed', (a) => (a === 'rate' ? 'load.error_rate' : null))} series={[{ key: 'load.error_rate', name: 'errors' }]} />
      <SeriesChart {...common} testId="chart-hit-ratio" title="Cache hit ratio" series={[{ key: 'redis.hit_ratio', name: 'Redis' }, { key: 'load.hit_ratio', name: 'seen by clients' }]} />
      <SeriesChart {...common} testId="chart-lag" title="Replication lag (s)" series={replicas.map((r) => ({ key: `lag.${r}.seconds`, name: r }))} />
      <SeriesChart {...common} testId="chart-stale" title="Stale reads (per s)" series={[{ key: 'load.stale', name: 'stale reads' }]} />
      <SeriesChart {...common} testId="chart-instances" title="Requests per API instance (per s)" series={instances.map((i) => ({ key: `load.instance.${i}`, name: i }))} />
      <SeriesChart {...common} testId="chart-db" title="Database queries per node (per s)" series={nodes.map((n) => ({ key: `db.queries.${n}`, name: n }))} />
      <SeriesChart {...common} testId="chart-cpu" title="CPU per container (% of a core)" series={containers.map((c) => ({ key: `container.${c}.cpu`, name: c }))} />
      <SeriesChart {...common} testId="chart-memory" title="Memory per container (MB)" series={containers.map((c) => ({ key: `container.${c}.mem`, name: c }))} scale={1 / (1024 * 1024)} />
    </div>
  );
}
