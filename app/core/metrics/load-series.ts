// A LoadWindow flattened into named series for the timeline (documented in the README):
// load.rps, load.p95, load.instance.api-2, load.cache.HIT, load.timing.db, gen.saturated, ...
import type { LoadWindow } from '../../contract/load.js';

export function loadWindowSeries(w: LoadWindow): Record<string, number | null> {
  const v: Record<string, number | null> = {
    'load.target_rate': w.targetRate, 'load.sent': w.sent, 'load.rps': w.completed, 'load.failed': w.failed,
    'load.dropped': w.dropped, 'load.error_rate': w.completed ? w.failed / w.completed : null, 'load.stale': w.stale,
    'load.p50': w.latency?.p50 ?? null, 'load.p90': w.latency?.p90 ?? null, 'load.p95': w.latency?.p95 ?? null,
    'load.p99': w.latency?.p99 ?? null, 'load.max': w.latency?.max ?? null, 'load.mean': w.latency?.mean ?? null,
    'gen.late_ms': Math.round(w.generator.lateMsMax * 10) / 10, 'gen.cpu': Math.round(w.generator.cpuPercent * 10) / 10,
    'gen.in_flight': w.generator.inFlight, 'gen.saturated': w.generator.saturated ? 1 : 0,
  };
  for (const [k, e] of Object.entries(w.byEndpoint)) { v[`load.endpoint.${k}.count`] = e.count; v[`load.endpoint.${k}.p95`] = e.p95; }
  for (const [k, n] of Object.entries(w.byStatus)) v[`load.status.${k}`] = n;
  for (const [k, n] of Object.entries(w.byInstance)) v[`load.instance.${k}`] = n;
  for (const [k, n] of Object.entries(w.byCache)) v[`load.cache.${k}`] = n;
  for (const [k, n] of Object.entries(w.byDbNode)) v[`load.db.${k}`] = n;
  for (const [k, l] of Object.entries(w.latencyByCache)) { v[`load.latency.${k}.p50`] = l.p50; v[`load.latency.${k}.p95`] = l.p95; v[`load.latency.${k}.p99`] = l.p99; }
  for (const [k, ms] of Object.entries(w.serverTiming)) v[`load.timing.${k}`] = ms;
  const hits = w.byCache.HIT ?? 0;
  const misses = w.byCache.MISS ?? 0;
  v['load.hit_ratio'] = hits + misses ? hits / (hits + misses) : null;
  return v;
}
