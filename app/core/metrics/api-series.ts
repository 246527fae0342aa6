// Each API instance's own counters (/metrics, prom-client): requests a second, the database
// queries on each node, cache results, stale reads and the write-behind states. Instances on this
// engine are read at their published port; on a Swarm, the tasks on other nodes at their overlay
// address through the runtime (this host is not on the overlay), and their CPU from the process's
// own counter (process_cpu_seconds_total), the one CPU figure that crosses nodes.
import type { ServiceStatus } from '../../contract/stack.js';
import { FAMILY, SERIES, seriesKey } from '../../contract/series.js';
import { isShardName } from '../../contract/services.js';
import { API_PORT } from '../topology/plan.js';
import { CounterDeltas } from './counter-deltas.js';
import { fetchText } from './fetch-text.js';
import { parsePrometheus, sumBy } from './prometheus-text.js';

export type Series = Record<string, number | null>;

export interface WriteCounts {
  acked: number | null;
  persisted: number | null;
  direct: number | null;
}

/** Reads texts on the stack's overlay (tasks on other Swarm nodes); null where one did not answer. */
export type OverlayFetch = (urls: string[]) => Promise<Array<string | null>>;

export class ApiSeriesReader {
  private readonly counters = new CounterDeltas();
  /** Whether the instances have been read once (write-behind-ledger.ts). */
  private read = false;
  private readonly cpu = new Map<string, { seconds: number; at: number }>();

  constructor(private readonly onOverlay: OverlayFetch) {}

  async series(running: ServiceStatus[]): Promise<{ series: Series; writes: WriteCounts }> {
    const here = running.filter((s) => s.role === 'api' && !s.remote && (s.ports.api ?? s.ports.entry));
    const elsewhere = running.filter((s) => s.role === 'api' && s.remote && s.ip);
    const [localTexts, remoteTexts] = await Promise.all([
      Promise.all(here.map((s) => fetchText(`http://${s.ports.api ?? s.ports.entry}/metrics`))),
      elsewhere.length
        ? this.onOverlay(elsewhere.map((s) => `http://${s.ip}:${API_PORT}/metrics`)).catch(() =>
            elsewhere.map(() => null),
          )
        : [],
    ]);
    const apis = [...here, ...elsewhere];
    const texts = [...localTexts, ...remoteTexts];
    const out: Series = {};
    const totals = { db: new Map<string, number>(), cache: new Map<string, number>(), stale: 0 };
    const writes: Record<string, number | null> = { queued: null, persisted: null, direct: null };
    const delta = (key: string, v: number) => this.counters.delta(key, v);
    apis.forEach((s, i) => {
      const text = texts[i];
      if (!text) return;
      const m = parsePrometheus(text);
      let requests = 0;
      for (const v of sumBy(m, 'scalelab_http_requests_total', 'route').values()) requests += v;
      out[FAMILY.apiRps.key(s.name)] = delta(`#requests@${s.name}`, requests);
      for (const [node, v] of sumBy(m, 'scalelab_db_queries_total', 'node'))
        totals.db.set(node, (totals.db.get(node) ?? 0) + (delta(`${s.name}.db.${node}`, v) ?? 0));
      for (const [r, v] of sumBy(m, 'scalelab_cache_results_total', 'result'))
        totals.cache.set(r, (totals.cache.get(r) ?? 0) + (delta(`${s.name}.cache.${r}`, v) ?? 0));
      totals.stale += delta(`${s.name}.stale`, m.get('scalelab_stale_reads_total') ?? 0) ?? 0;
      for (const [state, v] of sumBy(m, 'scalelab_write_behind_total', 'state')) {
        // The write ledger counts from zero what appears after the first reading (a state's first
        // write, an instance started since): only what came before that reading is not ours.
        const key = `${s.name}.writes.${state}`;
        if (this.read && !this.counters.has(key)) this.counters.seed(key, 0);
        writes[state] = (writes[state] ?? 0) + (delta(key, v) ?? 0);
      }
      if (s.remote) {
        const cpu = this.processCpu(s.name, m.get('process_cpu_seconds_total'));
        if (cpu !== null) out[seriesKey.container(s.name, 'cpu')] = cpu;
      }
    });
    if (texts.some((t) => t)) this.read = true;
    const writeCounts = {
      acked: writes.queued ?? null,
      persisted: writes.persisted ?? null,
      direct: writes.direct ?? null,
    };
    if (!apis.length) return { series: out, writes: writeCounts };
    let all = 0;
    for (const [node, v] of totals.db) {
      out[FAMILY.dbQueriesOn.key(node)] = v;
      all += v;
    }
    out[SERIES.dbQueries] = all;
    const skew = shardSkew(totals.db);
    if (skew !== undefined) out[SERIES.dbShardSkew] = skew;
    for (const [r, v] of totals.cache) out[FAMILY.apiCache.key(r)] = v;
    out[SERIES.apiStaleReads] = totals.stale;
    return { series: out, writes: writeCounts };
  }

  /** Percent of one core the process used since the last reading (as Docker's figure counts). */
  private processCpu(name: string, seconds: number | undefined): number | null {
    if (seconds === undefined) return null;
    const now = Date.now();
    const before = this.cpu.get(name);
    this.cpu.set(name, { seconds, at: now });
    if (!before || now <= before.at || seconds < before.seconds) return null;
    return Math.round(((1000 * (seconds - before.seconds)) / (now - before.at)) * 100 * 10) / 10;
  }
}

/** The busiest shard's queries over the mean across shards (1 is even); undefined with fewer than two. */
export function shardSkew(queriesByNode: Map<string, number>): number | undefined {
  const shards = [...queriesByNode].filter(([node]) => node === 'primary' || isShardName(node)).map(([, v]) => v);
  const mean = shards.reduce((a, b) => a + b, 0) / shards.length;
  if (shards.length < 2 || !(mean > 0)) return undefined;
  return Math.max(...shards) / mean;
}
