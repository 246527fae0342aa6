// monitoring.queries during a run: each charted PromQL query asked of the stack's Prometheus once
// a second, its answer as series of the run (one per series it returns, at most MAX_SERIES: a
// query over every label of a busy metric would otherwise flood the timeline).
import { FAMILY, queryName } from '../../contract/series.js';
import { instantQuery } from './prometheus-api.js';

export const MAX_SERIES = 16;

export async function querySeries(prometheusUrl: string, queries: string[]): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  await Promise.all(
    queries.map(async (expr, i) => {
      // A query Prometheus refuses, or a second it is slow, gives no point: the chart shows the gap.
      const answer = await instantQuery(prometheusUrl, expr, 800).catch(() => null);
      for (const s of answer?.series.slice(0, MAX_SERIES) ?? [])
        out[FAMILY.query.key(queryName(i, s.labels))] = s.value;
    }),
  );
  return out;
}
