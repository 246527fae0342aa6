// The built-in load engine: an open model. Requests are scheduled at the target arrival rate
// whether or not earlier ones have answered, and latency is measured from the *scheduled* send
// time, so a slow server cannot hide its queueing (no coordinated omission). undici pools bound
// the connections; a bound on requests in flight turns overload into counted drops, as k6 does.
import { Pool } from 'undici';
import type { EngineKind } from '../../contract/load.js';
import { createKeySampler, type KeySampler } from './key-sampler.js';
import { summarize } from './latency-histogram.js';
import type { LoadEngine, LoadResult, LoadRunOptions } from './load-engine.js';
import { evaluateThresholds } from './thresholds.js';
import { thresholdMetrics, WindowAggregator, type RequestSample } from './window-aggregator.js';
import { targetRateAt, workloadDuration, type Workload } from './workload-schema.js';

export interface BuiltinEngineOptions {
  /** Connections per target (undici pool size). */
  connections?: number;
  /** Requests in flight at most; arrivals beyond it are dropped and counted. */
  maxInFlight?: number;
  timeoutMs?: number;
}

/** Epoch milliseconds with sub-millisecond resolution. */
const hrNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function parseServerTiming(header: string | undefined): Record<string, number> | undefined {
  if (!header) return undefined;
  const out: Record<string, number> = {};
  for (const part of header.split(',')) {
    const m = /^\s*([\w-]+)\s*;(?:.*?;)?\s*dur=([\d.]+)/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return Object.keys(out).length ? out : undefined;
}

function weightedPicker(mix: Workload['mix'], random = Math.random): () => string {
  const entries = Object.entries(mix).filter(([, w]) => (w ?? 0) > 0) as Array<[string, number]>;
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return () => {
    let u = random() * total;
    for (const [name, w] of entries) { if ((u -= w) < 0) return name; }
    return entries[entries.length - 1][0];
  };
}

interface Call { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string>; edge?: boolean }

export class BuiltinEngine implements LoadEngine {
  readonly kind: EngineKind = 'builtin';
  private rateOverride: number | null = null;
  private stopped = false;

  constructor(private readonly opts: BuiltinEngineOptions = {}) {}

  setRate(rate: number | null): void {
    if (rate !== null && (!Number.isFinite(rate) || rate < 0 || rate > 100_000)) throw new Error('rate must be a number in 0..100000');
    this.rateOverride = rate;
  }

  stop(): void { this.stopped = true; }

  async run({ workload, target, onWindow }: LoadRunOptions): Promise<LoadResult> {
    const timeout = this.opts.timeoutMs ?? 10_000;
    const poolOpts = { connections: this.opts.connections ?? 64, pipelining: 1, headersTimeout: timeout, bodyTimeout: timeout, keepAliveTimeout: 10_000 };
    const pool = new Pool(target.baseUrl, poolOpts);
    const edgePool = target.edgeUrl ? new Pool(target.edgeUrl, poolOpts) : pool;
    const maxInFlight = this.opts.maxInFlight ?? 2000;
    const agg = new WindowAggregator();
    const pick = weightedPicker(workload.mix);
    const key: KeySampler = createKeySampler(workload.keys);
    const startedAt = hrNow();
    const endAt = startedAt + workloadDuration(workload) * 1000;
    const rateAt = (at: number) => this.rateOverride ?? targetRateAt(workload, (at - startedAt) / 1000);
    const inFlight = new Set<Promise<void>>();
    let lateMax = 0;
    let cpuPrev = process.cpuUsage();
    let cpuPrevAt = hrNow();

    const send = async (call: Call, endpoint: string, scheduled: number): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body?: string }> => {
      const sample: RequestSample = { at: 0, latencyMs: 0, endpoint, status: 0 };
      let result: { status: number; headers: Record<string, string | string[] | undefined>; body?: string } = { status: 0, headers: {} };
      try {
        const res = await (call.edge ? edgePool : pool).request({
          method: call.method, path: call.path, body: call.body,
          headers: { ...(call.body ? { 'content-type': 'application/json' } : {}), ...call.headers },
        });
        const body = call.method === 'POST' ? await res.body.text() : (await res.body.dump(), undefined);
        const h = res.headers;
        const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
        sample.status = res.statusCode;
        sample.instance = str(h['x-instance']);
        const edge = str(h['x-edge-cache']);
        sample.cache = call.edge && edge ? `EDGE_${edge}` : str(h['x-cache']);
        sample.dbNode = str(h['x-db-node']);
        sample.serverTiming = parseServerTiming(str(h['server-timing']));
        sample.stale = h['x-stale-read'] === '1';
        result = { status: res.statusCode, headers: h, body };
      } catch {
        sample.status = 0;
      }
      sample.at = hrNow();
      sample.latencyMs = sample.at - scheduled;
      agg.record(sample);
      return result;
    };

    const callFor = (endpoint: string, k: number): Call => {
      switch (endpoint) {
        case 'cheap-read': return { method: 'GET', path: `/products/${k}` };
        case 'expensive-read': return { method: 'GET', path: `/categories/${1 + (k % 20)}/top` };
        case 'list': return { method: 'GET', path: `/products?page=${1 + (k % 50)}&size=20` };
        case 'static': return { method: 'GET', path: k % 5 === 0 ? '/static/app.js' : `/static/img/${1 + (k % 20)}.svg`, edge: true };
        case 'slow': return { method: 'GET', path: `/slow?ms=${workload.slowMs}` };
        default: return { method: 'POST', path: '/orders', body: JSON.stringify({ productId: k, quantity: 1 + (k % 3) }) };
      }
    };

    const arrival = async (scheduled: number): Promise<void> => {
      const endpoint = pick();
      const k = key();
      if (endpoint !== 'read-own-write') { await send(callFor(endpoint, k), endpoint, scheduled); return; }
      // Write, think, then read the order back with the cookie the write set (read-your-writes).
      const w = await send(callFor('write', k), 'write', scheduled);
      if (w.status !== 201 || !w.body) return;
      const id = (JSON.parse(w.body) as { id: number }).id;
      const cookie = String(w.headers['set-cookie'] ?? '').split(';')[0];
      if (workload.thinkTimeMs > 0) await sleep(workload.thinkTimeMs);
      if (this.stopped) return;
      await send({ method: 'GET', path: `/orders/${id}`, headers: cookie ? { cookie } : {} }, 'read-own-write', hrNow());
    };

    const flush = (before: number) => {
      const now = hrNow();
      const cpu = process.cpuUsage(cpuPrev);
      const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, now - cpuPrevAt)) * 100;
      cpuPrev = process.cpuUsage(); cpuPrevAt = now;
      for (const w of agg.flush(before, Math.round(rateAt(now) * 100) / 100, { lateMsMax: lateMax, inFlight: inFlight.size, cpuPercent })) onWindow(w);
      lateMax = 0;
    };
    const ticker = setInterval(() => flush(hrNow()), 250);

    let next = startedAt;
    try {
      while (!this.stopped && hrNow() < endAt) {
        const now = hrNow();
        // Catch up on every arrival that is due, each keeping its scheduled time.
        while (next <= now && next < endAt && !this.stopped) {
          const rate = rateAt(next);
          if (rate <= 0) { next = now + 10; break; }
          agg.sent(now);
          if (inFlight.size >= maxInFlight) {
            agg.dropped(now);
          } else {
            lateMax = Math.max(lateMax, now - next);
            const p: Promise<void> = arrival(next).finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
          next += 1000 / rate;
        }
        await sleep(Math.max(0, Math.min(next - hrNow(), 5)));
      }
      await Promise.race([Promise.allSettled([...inFlight]), sleep(timeout + 1000)]);
    } finally {
      clearInterval(ticker);
      flush(Number.POSITIVE_INFINITY);
      await Promise.allSettled([pool.close(), edgePool === pool ? undefined : edgePool.close()]);
    }

    const endedAt = hrNow();
    const seconds = Math.max(0.001, (endedAt - startedAt) / 1000);
    const thresholds = evaluateThresholds(workload.thresholds, thresholdMetrics(agg, seconds));
    return {
      engine: 'builtin', startedAt: Math.round(startedAt), endedAt: Math.round(endedAt), totals: { ...agg.totals },
      latency: summarize(agg.total), thresholds, stoppedEarly: this.stopped && endedAt < endAt,
    };
  }
}
