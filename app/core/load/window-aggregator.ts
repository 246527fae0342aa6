// Folds request samples into one-second LoadWindows (both engines use it: the built-in engine
// feeds its own samples, the k6 engine the samples it parses from k6's output). Pure: the
// caller says when a second is over. A run-long histogram is kept for the summary and thresholds.
import type { LoadWindow } from '../../contract/load.js';
import type { FailureReason } from '../../contract/series.js';
import { newHistogram, recordMs, summarize, type Histogram } from './latency-histogram.js';
import { PriceLedger } from './price-ledger.js';

export interface RequestSample {
  /** Completion time, epoch ms: decides the window. */
  at: number;
  latencyMs: number;
  endpoint: string;
  /** 0 when no response came (connection refused, timeout). */
  status: number;
  instance?: string;
  cache?: string;
  dbNode?: string;
  serverTiming?: Record<string, number>;
  stale?: boolean;
  /** Why it failed, when it did (an HTTP error class, or the transport's reason). */
  failure?: FailureReason;
  /** A cart response's x-session: new, found or lost. */
  session?: string;
  /** The virtual user's class when the workload has a noisy client: 'noisy' or 'others'. */
  clientClass?: string;
  /** The API version that answered (x-version). */
  version?: string;
  /** A price write or an edge read of a product: its id, the price sent or shown, when it was sent. */
  product?: number;
  price?: number;
  startedAt?: number;
  /** Which of several load generators measured it (k6 execution segments: "k6-2"). */
  generator?: string;
}

export interface GeneratorState {
  lateMsMax: number;
  inFlight: number;
  cpuPercent: number;
  /** Most requests at once that were due but waited for a free connection (the built-in engine). */
  waitingMax?: number;
}

const SATURATION = { lateMs: 50, cpuPercent: 90 };

class Window {
  sent = 0;
  completed = 0;
  failed = 0;
  dropped = 0;
  stale = 0;
  readonly all = newHistogram();
  readonly byEndpoint = new Map<string, Tally>();
  readonly byCacheH = new Map<string, Histogram>();
  readonly byStatus: Record<string, number> = {};
  readonly byInstance: Record<string, number> = {};
  readonly byCache: Record<string, number> = {};
  readonly byDbNode: Record<string, number> = {};
  readonly bySession: Record<string, number> = {};
  /** By client class: requests answered, and refused by a rate limit (429). */
  readonly byClient: Record<string, { count: number; limited: number }> = {};
  readonly byVersion = new Map<string, Tally>();
  readonly byFailure: Record<string, number> = {};
  /** With several generators: what each measured this second. */
  readonly byGenerator: Record<string, { completed: number; failed: number; dropped: number }> = {};
  readonly timingSum: Record<string, number> = {};
  readonly timingCount: Record<string, number> = {};
  /** Edge reads of products whose price was written, judged when the window closes. */
  readonly priceReads: Array<{ product: number; price: number; startedAt: number }> = [];
  constructor(readonly t: number) {}
}

type Tally = { h: Histogram; count: number; failed: number };
/** One response in a breakdown that keeps its own latency histogram (by endpoint, by version). */
function tally(m: Map<string, Tally>, key: string, latencyMs: number, failed: boolean): void {
  let t = m.get(key);
  if (!t) {
    t = { h: newHistogram(), count: 0, failed: 0 };
    m.set(key, t);
  }
  t.count++;
  if (failed) t.failed++;
  recordMs(t.h, latencyMs);
}

const genTally = (w: Window, name: string) => (w.byGenerator[name] ??= { completed: 0, failed: 0, dropped: 0 });

const inc = (o: Record<string, number>, k: string | undefined) => {
  if (k) o[k] = (o[k] ?? 0) + 1;
};

export class WindowAggregator {
  private windows = new Map<number, Window>();
  private readonly prices = new PriceLedger();
  /** Whether the run writes prices: only then are edge reads judged. */
  private pricesWritten = false;
  readonly total = newHistogram();
  totals = { sent: 0, completed: 0, failed: 0, dropped: 0, stale: 0, hits: 0, misses: 0 };
  /** Failures over the whole run, by reason. */
  readonly failuresByReason: Record<string, number> = {};

  private window(at: number): Window {
    const t = Math.floor(at / 1000) * 1000;
    let w = this.windows.get(t);
    if (!w) {
      w = new Window(t);
      this.windows.set(t, w);
    }
    return w;
  }

  sent(at: number): void {
    this.window(at).sent++;
    this.totals.sent++;
  }
  dropped(at: number, generator?: string): void {
    const w = this.window(at);
    w.dropped++;
    this.totals.dropped++;
    if (generator) genTally(w, generator).dropped++;
  }

  record(s: RequestSample): void {
    const w = this.window(s.at);
    const failed = s.status === 0 || s.status >= 400;
    w.completed++;
    this.totals.completed++;
    if (s.generator) {
      const g = genTally(w, s.generator);
      g.completed++;
      if (failed) g.failed++;
    }
    if (failed) {
      w.failed++;
      this.totals.failed++;
      // A sample without a reason (an engine that cannot tell) still counts, as "other".
      const reason = s.failure ?? (s.status >= 500 ? 'http_5xx' : s.status >= 400 ? 'http_4xx' : 'other');
      inc(w.byFailure, reason);
      inc(this.failuresByReason, reason);
    }
    if (s.stale) {
      w.stale++;
      this.totals.stale++;
    }
    recordMs(w.all, s.latencyMs);
    recordMs(this.total, s.latencyMs);
    tally(w.byEndpoint, s.endpoint, s.latencyMs, failed);
    inc(w.byStatus, String(s.status));
    inc(w.byInstance, s.instance);
    inc(w.byDbNode, s.dbNode);
    inc(w.bySession, s.session);
    if (s.version) tally(w.byVersion, s.version, s.latencyMs, failed);
    if (s.clientClass) {
      const c = (w.byClient[s.clientClass] ??= { count: 0, limited: 0 });
      c.count++;
      if (s.status === 429) c.limited++;
    }
    if (s.cache) {
      inc(w.byCache, s.cache);
      if (s.cache === 'HIT') this.totals.hits++;
      if (s.cache === 'MISS') this.totals.misses++;
      let h = w.byCacheH.get(s.cache);
      if (!h) {
        h = newHistogram();
        w.byCacheH.set(s.cache, h);
      }
      recordMs(h, s.latencyMs);
    }
    if (s.serverTiming) for (const [k, v] of Object.entries(s.serverTiming)) this.recordTiming(s.at, k, v);
    if (s.product !== undefined && s.price !== undefined && s.startedAt !== undefined) {
      if (s.endpoint === 'price-update') {
        // A write that failed (an instance killed under it) may still have committed.
        this.prices.write(s.product, s.price, s.startedAt, s.status === 200 ? s.at : null);
        this.pricesWritten = true;
      } else if (s.status === 200) w.priceReads.push({ product: s.product, price: s.price, startedAt: s.startedAt });
    }
  }

  /** One Server-Timing part of one response (k6 reports them as separate points). */
  recordTiming(at: number, part: string, ms: number): void {
    const w = this.window(at);
    w.timingSum[part] = (w.timingSum[part] ?? 0) + ms;
    w.timingCount[part] = (w.timingCount[part] ?? 0) + 1;
  }

  private closed(before: number): Window[] {
    const out: Window[] = [];
    for (const t of [...this.windows.keys()].sort((a, b) => a - b)) {
      if (t + 1000 > before) continue;
      out.push(this.windows.get(t)!);
      this.windows.delete(t);
    }
    return out;
  }

  /** Closes every window that starts before `before` (epoch ms), oldest first. */
  flush(before: number, targetRate: number, gen: GeneratorState): LoadWindow[] {
    return this.closed(before).map((w) => this.toLoadWindow(w, targetRate, gen));
  }

  /** The window's edge reads judged against the prices written (those of products never written
   *  are not counted). */
  private judgePrices(w: Window): Pick<LoadWindow, 'priceReads' | 'stalePrices'> {
    if (!this.pricesWritten) return {};
    let judged = 0;
    let stale = 0;
    for (const r of w.priceReads) {
      const v = this.prices.judge(r.product, r.price, r.startedAt);
      if (v === 'unknown') continue;
      judged++;
      if (v === 'stale') stale++;
    }
    return { priceReads: judged, stalePrices: stale };
  }

  private toLoadWindow(w: Window, targetRate: number, gen: GeneratorState): LoadWindow {
    const reasons: string[] = [];
    if (gen.lateMsMax > SATURATION.lateMs) reasons.push(`behind schedule by up to ${Math.round(gen.lateMsMax)} ms`);
    if (w.dropped > 0) reasons.push(`${w.dropped} requests dropped (too many in flight)`);
    // Waiting for a connection is the generator's queue, not the stack's: a real client has its own.
    if ((gen.waitingMax ?? 0) > 0) reasons.push(`${gen.waitingMax} requests waited for a free connection`);
    if (gen.cpuPercent > SATURATION.cpuPercent)
      reasons.push(`load generator CPU at ${Math.round(gen.cpuPercent)}% of a core`);
    return {
      t: w.t,
      targetRate,
      sent: w.sent,
      completed: w.completed,
      failed: w.failed,
      dropped: w.dropped,
      latency: summarize(w.all),
      byEndpoint: Object.fromEntries(
        [...w.byEndpoint].map(([k, v]) => [k, { count: v.count, failed: v.failed, p95: summarize(v.h)!.p95 }]),
      ),
      byStatus: w.byStatus,
      byFailure: w.byFailure,
      byInstance: w.byInstance,
      byCache: w.byCache,
      byDbNode: w.byDbNode,
      ...(Object.keys(w.bySession).length ? { bySession: w.bySession } : {}),
      ...(Object.keys(w.byClient).length ? { byClient: w.byClient } : {}),
      ...(Object.keys(w.byGenerator).length ? { byGenerator: w.byGenerator } : {}),
      ...(w.byVersion.size
        ? {
            byVersion: Object.fromEntries(
              [...w.byVersion].map(([k, v]) => [k, { count: v.count, failed: v.failed, p95: summarize(v.h)!.p95 }]),
            ),
          }
        : {}),
      latencyByCache: Object.fromEntries([...w.byCacheH].map(([k, h]) => [k, summarize(h)!])),
      serverTiming: Object.fromEntries(
        Object.entries(w.timingSum).map(([k, v]) => [k, Math.round((v / w.timingCount[k]) * 1000) / 1000]),
      ),
      stale: w.stale,
      ...this.judgePrices(w),
      generator: { ...gen, saturated: reasons.length > 0, reasons },
    };
  }
}

/** A run's figures by threshold metric and aggregation, from what the aggregator saw (both engines use it). */
export function thresholdMetrics(agg: WindowAggregator, seconds: number): (metric: string, a: string) => number | null {
  const t = agg.totals;
  const h = agg.total;
  return (metric, a) => {
    switch (metric) {
      case 'http_req_duration':
        if (!h.totalCount) return null;
        if (a === 'avg') return h.mean / 1000;
        if (a === 'min') return h.minNonZeroValue / 1000;
        if (a === 'max') return h.maxValue / 1000;
        if (a === 'med') return h.getValueAtPercentile(50) / 1000;
        return h.getValueAtPercentile(Number(a.slice(2, -1))) / 1000;
      case 'http_req_failed':
        return t.completed ? t.failed / t.completed : 0;
      case 'http_reqs':
        return a === 'count' ? t.completed : t.completed / seconds;
      case 'dropped_iterations':
        return a === 'count' ? t.dropped : t.dropped / seconds;
      case 'scalelab_stale_reads':
        return a === 'count' ? t.stale : t.completed ? t.stale / t.completed : 0;
      case 'scalelab_cache_hits':
        return t.hits + t.misses ? t.hits / (t.hits + t.misses) : null;
      default:
        return null;
    }
  };
}
