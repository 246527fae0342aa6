// Comparing two runs (e.g. cache off vs on): series aligned on seconds since each run's start,
// and a table of the key figures with their deltas.
import type { RunComparison, RunData } from '../../contract/runs.js';

function mean(values: Array<number | null | undefined>): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}

/** The figures compared: from the summary where the run has one, else from its timeline. */
function figures(d: RunData): Record<string, number | null> {
  const s = d.run.summary;
  const series = (name: string) => d.timeline.map((p) => p.v[name]);
  const rps = s?.rps ?? mean(series('load.rps'));
  const dbq = mean(series('db.queries'));
  return {
    'requests per second': rps,
    'p50 latency (ms)': s?.latency?.p50 ?? mean(series('load.p50')),
    'p95 latency (ms)': s?.latency?.p95 ?? mean(series('load.p95')),
    'p99 latency (ms)': s?.latency?.p99 ?? mean(series('load.p99')),
    'error rate': s?.errorRate ?? mean(series('load.error_rate')),
    'cache hit ratio': s?.hitRatio ?? mean(series('redis.hit_ratio')),
    'database queries per request': dbq !== null && rps ? dbq / rps : null,
    'max replication lag (s)': s?.maxLagSeconds ?? null,
    'stale reads': s?.staleReads ?? null,
  };
}

export function compareRuns(a: RunData, b: RunData): RunComparison {
  const rel = (d: RunData) => new Map(d.timeline.map((p) => [Math.round((p.t - d.timeline[0].t) / 1000), p.v]));
  const ra = rel(a);
  const rb = rel(b);
  const seconds = [...new Set([...ra.keys(), ...rb.keys()])].sort((x, y) => x - y);
  const fa = figures(a);
  const fb = figures(b);
  return {
    a: a.run.id, b: b.run.id,
    aligned: seconds.map((second) => ({ second, a: ra.get(second) ?? {}, b: rb.get(second) ?? {} })),
    deltas: Object.keys(fa).map((figure) => {
      const x = fa[figure];
      const y = fb[figure];
      const delta = x !== null && y !== null ? y - x : null;
      return { figure, a: x, b: y, delta, change: delta !== null && x ? delta / Math.abs(x) : null };
    }),
  };
}
