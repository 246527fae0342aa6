// Reads Prometheus text exposition (the API's prom-client /metrics) with a parser library, into
// "name{label=value,...}" -> number for counters and gauges (histograms: _count and _sum).
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; count?: string; sum?: string }>;
}

export function parsePrometheus(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of parsePrometheusTextFormat(text) as Family[]) {
    for (const m of f.metrics) {
      const labels = Object.entries(m.labels ?? {})
        .filter(([k]) => k !== 'instance')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const key = (suffix: string) => `${f.name}${suffix}${labels ? `{${labels}}` : ''}`;
      if (m.value !== undefined) out.set(key(''), Number(m.value));
      if (m.count !== undefined) out.set(key('_count'), Number(m.count));
      if (m.sum !== undefined) out.set(key('_sum'), Number(m.sum));
    }
  }
  return out;
}

/** Sums every series of a metric whose labels include `match` (e.g. node=primary), grouped by one label. */
export function sumBy(values: Map<string, number>, metric: string, label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, v] of values) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
    if (!m || m[1] !== metric) continue;
    const labels = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => p.split('=') as [string, string]),
    );
    const k = labels[label] ?? '';
    out.set(k, (out.get(k) ?? 0) + v);
  }
  return out;
}

/** A histogram's cumulative bucket counts (upper bound in seconds, Infinity for +Inf), summed over
 *  its series whose labels pass `keep`. The parser library folds a labelled histogram's series
 *  into one and drops their labels (checked with prom-client's output), so the histogram's TYPE
 *  line is left out here and its _bucket lines read as the plain samples they are. */
export function histogramBuckets(
  text: string,
  metric: string,
  keep: (labels: Record<string, string>) => boolean = () => true,
): Map<number, number> {
  const untyped = text
    .split('\n')
    .filter((l) => !l.startsWith(`# TYPE ${metric} `))
    .join('\n');
  const out = new Map<number, number>();
  for (const f of parsePrometheusTextFormat(untyped) as Family[]) {
    if (f.name !== `${metric}_bucket`) continue;
    for (const m of f.metrics) {
      const { le, ...labels } = m.labels ?? {};
      if (le === undefined || !keep(labels)) continue;
      const bound = le === '+Inf' ? Infinity : Number(le);
      out.set(bound, (out.get(bound) ?? 0) + Number(m.value));
    }
  }
  return out;
}
