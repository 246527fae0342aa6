// A LoadWindow flattened into named series for the timeline (the names: contract/series.ts).
import type { LoadWindow } from '../../contract/load.js';
import { FAMILY, SERIES, seriesKey, type Percentile } from '../../contract/series.js';
import { isApiName } from '../../contract/services.js';

const PERCENTILES: Percentile[] = ['p50', 'p95', 'p99'];

export function loadWindowSeries(w: LoadWindow): Record<string, number | null> {
  const v: Record<string, number | null> = {
    [SERIES.targetRate]: w.targetRate,
    [SERIES.sent]: w.sent,
    [SERIES.rps]: w.completed,
    [SERIES.failed]: w.failed,
    [SERIES.dropped]: w.dropped,
    [SERIES.errorRate]: w.completed ? w.failed / w.completed : null,
    [SERIES.stale]: w.stale,
    ...(w.priceReads !== undefined
      ? { [SERIES.priceReads]: w.priceReads, [SERIES.stalePrices]: w.stalePrices ?? 0 }
      : {}),
    [SERIES.p50]: w.latency?.p50 ?? null,
    [SERIES.p90]: w.latency?.p90 ?? null,
    [SERIES.p95]: w.latency?.p95 ?? null,
    [SERIES.p99]: w.latency?.p99 ?? null,
    [SERIES.max]: w.latency?.max ?? null,
    [SERIES.mean]: w.latency?.mean ?? null,
    [SERIES.genLateMs]: Math.round(w.generator.lateMsMax * 10) / 10,
    [SERIES.genCpu]: Math.round(w.generator.cpuPercent * 10) / 10,
    [SERIES.genInFlight]: w.generator.inFlight,
    [SERIES.genSaturated]: w.generator.saturated ? 1 : 0,
    [SERIES.genWaiting]: w.generator.waitingMax ?? 0,
  };
  for (const [k, e] of Object.entries(w.byEndpoint)) {
    v[FAMILY.endpointCount.key(k)] = e.count;
    v[FAMILY.endpointP95.key(k)] = e.p95;
  }
  for (const [k, n] of Object.entries(w.byStatus)) v[FAMILY.status.key(k)] = n;
  for (const [k, n] of Object.entries(w.byFailure ?? {}))
    v[FAMILY.errorRate.key(k)] = w.completed ? n / w.completed : null;
  for (const [k, n] of Object.entries(w.byInstance)) v[FAMILY.instance.key(k)] = n;
  // API instances that answered this second (x-instance): capacity that serves, not just runs.
  v[SERIES.instancesServing] = Object.entries(w.byInstance).filter(([k, n]) => isApiName(k) && n > 0).length;
  for (const [k, n] of Object.entries(w.byCache)) v[FAMILY.cache.key(k)] = n;
  for (const [k, n] of Object.entries(w.byDbNode)) v[FAMILY.dbNode.key(k)] = n;
  for (const [ver, n] of Object.entries(w.byVersion ?? {})) {
    v[FAMILY.versionCount.key(ver)] = n.count;
    v[FAMILY.versionP95.key(ver)] = n.p95;
    v[FAMILY.versionFailed.key(ver)] = n.failed;
  }
  for (const [c, n] of Object.entries(w.byClient ?? {})) {
    v[FAMILY.clientCount.key(c)] = n.count;
    v[FAMILY.clientLimited.key(c)] = n.limited;
  }
  for (const [g, n] of Object.entries(w.byGenerator ?? {})) {
    v[FAMILY.generatorCount.key(g)] = n.completed;
    v[FAMILY.generatorDropped.key(g)] = n.dropped;
  }
  // A second with cart responses says all three counts: "0 lost" is a reading, not a gap.
  if (w.bySession) for (const state of ['new', 'found', 'lost']) v[FAMILY.session.key(state)] = w.bySession[state] ?? 0;
  for (const [k, l] of Object.entries(w.latencyByCache)) {
    for (const p of PERCENTILES) v[seriesKey.latencyByCache(k, p)] = l[p];
  }
  for (const [k, ms] of Object.entries(w.serverTiming)) v[FAMILY.timing.key(k)] = ms;
  const hits = w.byCache.HIT ?? 0;
  const misses = w.byCache.MISS ?? 0;
  v[SERIES.hitRatio] = hits + misses ? hits / (hits + misses) : null;
  return v;
}
