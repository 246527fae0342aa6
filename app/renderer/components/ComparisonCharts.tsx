// Two runs overlaid on the same charts, aligned on seconds since each started (A dashed grey
// would hide the story: A and B get the first two chart colours).
import { SERIES } from '../../contract/series.js';
import type { RunComparison, TimelinePoint } from '../../contract/runs.js';
import { SeriesChart } from './SeriesChart.js';

const CHARTS: Array<{ key: string; title: string; testId: string }> = [
  { key: SERIES.rps, title: 'Throughput (requests/s)', testId: 'cmp-throughput' },
  { key: SERIES.p95, title: 'p95 latency (ms)', testId: 'cmp-p95' },
  { key: SERIES.p99, title: 'p99 latency (ms)', testId: 'cmp-p99' },
  { key: SERIES.errorRate, title: 'Error rate', testId: 'cmp-errors' },
  { key: SERIES.redisHitRatio, title: 'Cache hit ratio', testId: 'cmp-hit-ratio' },
  { key: SERIES.lagMax, title: 'Max replication lag (s)', testId: 'cmp-lag' },
  { key: SERIES.dbQueries, title: 'Database queries (per s)', testId: 'cmp-db' },
];

/** The aligned seconds as points whose series are "a:<key>" and "b:<key>". */
export function comparisonPoints(cmp: RunComparison): TimelinePoint[] {
  return cmp.aligned.map(({ second, a, b }) => {
    const v: Record<string, number | null> = {};
    for (const [k, x] of Object.entries(a)) v[`a:${k}`] = x;
    for (const [k, x] of Object.entries(b)) v[`b:${k}`] = x;
    return { t: second * 1000, v };
  });
}

export function ComparisonCharts({ cmp, labels = ['A', 'B'] }: { cmp: RunComparison; labels?: [string, string] }) {
  const points = comparisonPoints(cmp);
  return (
    <div className="charts" data-testid="comparison-charts">
      {CHARTS.map((c) => (
        <SeriesChart
          key={c.key}
          points={points}
          title={c.title}
          testId={c.testId}
          series={[
            { key: `a:${c.key}`, name: labels[0] },
            { key: `b:${c.key}`, name: labels[1] },
          ]}
        />
      ))}
    </div>
  );
}
