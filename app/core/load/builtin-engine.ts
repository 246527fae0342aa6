// The built-in load engine: an open model. Requests are scheduled at the target arrival rate
// whether or not earlier ones have answered, and latency is measured from the *scheduled* send
// time, so a slow server cannot hide its queueing (no coordinated omission). undici pools bound
// the connections; a bound on requests in flight turns overload into counted drops, as k6 does.
import { EDGE_SERVED } from '../../contract/series.js';
import { failureOfError, failureOfStatus } from './failure-reason.js';
import { Pool } from 'undici';
import type { EngineKind } from '../../contract/load.js';
import { createKeySampler, type KeySampler } from './key-sampler.js';
import { summarize } from './latency-histogram.js';
import type { LoadEngine, LoadResult, LoadRunOptions } from './load-engine.js';
import { evaluateThresholds } from './thresholds.js';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { importInThread } from '../tsx-threads.js';
import { replayBatch, SampleBatcher, transferables, type SampleBatch } from './sample-batch.js';
import { thresholdMetrics, WindowAggregator, type RequestSample } from './window-aggregator.js';
import { targetRateAt, workloadDuration, type Workload } from './workload-schema.js';

export interface BuiltinEngineOptions {
  /** Connections per target (undici pool size), per thread. */
  connections?: number;
  /** Requests in flight at most, per thread; arrivals beyond it are dropped and counted. */
  maxInFlight?: number;
  timeoutMs?: number;
  /** Threads that send: 'auto' adds one per PER_THREAD_RATE of peak rate, up to the cores but one. */
  workers?: number | 'auto';
}

/** About half of what one thread measured at most on the 2-core reference machine (npm run bench:load). */
export const PER_THREAD_RATE = 8000;

/** What a share of the load (one worker thread) reports to the thread that merges. */
export type ShareMessage =
  | { type: 'ready' }
  | { type: 'tick'; batch: SampleBatch; gen: { lateMsMax: number; inFlight: number } }
  | { type: 'done'; stoppedEarly: boolean };

/** `startAt` (epoch ms, the same clock in every thread) is the schedule all shares interleave on. */
interface Share {
  index: number;
  of: number;
  startAt: number;
  post: (m: ShareMessage, transfer?: ArrayBuffer[]) => void;
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
    for (const [name, w] of entries) {
      if ((u -= w) < 0) return name;
    }
    return entries[entries.length - 1][0];
  };
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  edge?: boolean;
}

export class BuiltinEngine implements LoadEngine {
  readonly kind: EngineKind = 'builtin';
  private rateOverride: number | null = null;
  private stopped = false;

  constructor(private readonly opts: BuiltinEngineOptions = {}) {}

  setRate(rate: number | null): void {
    if (rate !== null && (!Number.isFinite(rate) || rate < 0 || rate > 100_000))
      throw new Error('rate must be a number in 0..100000');
    this.rateOverride = rate;
    for (const w of this.threads) w.postMessage({ type: 'rate', rate });
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.threads) w.postMessage({ type: 'stop' });
  }

  private threads: Worker[] = [];

  /** How many threads the workload needs: one keeps up with PER_THREAD_RATE requests a second. */
  threadsFor(workload: Workload): number {
    const w = this.opts.workers ?? 'auto';
    if (w !== 'auto') return Math.max(1, Math.floor(w));
    const peak =
      workload.rate.kind === 'constant'
        ? workload.rate.rate
        : Math.max(workload.rate.startRate, ...workload.rate.stages.map((st) => st.targetRate));
    return Math.max(1, Math.min(os.availableParallelism() - 1, Math.ceil(peak / PER_THREAD_RATE)));
  }

  run(opts: LoadRunOptions): Promise<LoadResult> {
    const n = this.threadsFor(opts.workload);
    return n > 1 ? this.runThreads(opts, n) : this.runShare(opts);
  }

  /** Several threads each send an interleaved share of the arrivals; this thread merges their seconds. */
  private async runThreads({ workload, target, onWindow }: LoadRunOptions, n: number): Promise<LoadResult> {
    const agg = new WindowAggregator();
    const ts = import.meta.url.endsWith('.ts');
    const file = new URL(ts ? './builtin-worker.ts' : './builtin-worker.js', import.meta.url);
    // From source (tsx, vitest) the thread registers tsx itself before loading the TypeScript module.
    const boot = ts ? importInThread(file.href) : null;
    const gens = new Array<{ lateMsMax: number; inFlight: number }>(n).fill({ lateMsMax: 0, inFlight: 0 });
    const done: Array<Promise<boolean>> = [];
    const ready: Array<Promise<void>> = [];
    this.threads = Array.from({ length: n }, (_, index) => {
      const workerData = { workload, target, options: { ...this.opts, workers: 1 }, index, of: n };
      const w = boot ? new Worker(boot, { eval: true, workerData }) : new Worker(file, { workerData });
      let isReady: () => void;
      ready.push(
        new Promise((r) => {
          isReady = r;
        }),
      );
      done.push(
        new Promise((resolve, reject) => {
          w.on('message', (m: ShareMessage) => {
            if (m.type === 'ready') isReady();
            else if (m.type === 'tick') {
              replayBatch(m.batch, agg);
              gens[index] = m.gen;
            } else resolve(m.stoppedEarly);
          });
          w.once('error', reject);
          w.once('exit', (code) =>
            code === 0 ? resolve(this.stopped) : reject(new Error(`load thread ${index} exited with code ${code}`)),
          );
        }),
      );
      return w;
    });
    // Every thread loaded, then one schedule for all: the run starts now, not when each thread booted.
    await Promise.race([Promise.all(ready), Promise.all(done)]);
    const startAt = hrNow() + 50;
    for (const w of this.threads) w.postMessage({ type: 'start', at: startAt });
    let cpuPrev = process.cpuUsage();
    let cpuAt = hrNow();
    const flush = (before: number) => {
      const cpu = process.cpuUsage(cpuPrev);
      const now = hrNow();
      const cpuPercent = (((cpu.user + cpu.system) / 1000 / Math.max(1, now - cpuAt)) * 100) / n; // per thread
      cpuPrev = process.cpuUsage();
      cpuAt = now;
      const gen = {
        lateMsMax: Math.max(...gens.map((g) => g.lateMsMax)),
        inFlight: gens.reduce((s2, g) => s2 + g.inFlight, 0),
        cpuPercent,
      };
      const rate = this.rateOverride ?? targetRateAt(workload, (now - startAt) / 1000);
      for (const w of agg.flush(before, Math.round(rate * 100) / 100, gen)) onWindow(w);
    };
    // Seconds close a little late here: every thread's share of a second must have arrived.
    const ticker = setInterval(() => flush(hrNow() - 600), 250);
    let stoppedEarly = false;
    try {
      stoppedEarly = (await Promise.all(done)).some(Boolean);
    } finally {
      clearInterval(ticker);
      flush(Number.POSITIVE_INFINITY);
      await Promise.allSettled(this.threads.map((w) => w.terminate()));
      this.threads = [];
    }
    const endedAt = hrNow();
    const seconds = Math.max(0.001, (endedAt - startAt) / 1000);
    return {
      engine: 'builtin',
      startedAt: Math.round(startAt),
      endedAt: Math.round(endedAt),
      totals: { ...agg.totals },
      failuresByReason: { ...agg.failuresByReason },
      latency: summarize(agg.total),
      thresholds: evaluateThresholds(workload.thresholds, thresholdMetrics(agg, seconds)),
      stoppedEarly,
    };
  }

  /** The open-model loop on this thread: the whole load, or (in a worker) share `index` of `of`. */
  async runShare({ workload, target, onWindow }: LoadRunOptions, share?: Share): Promise<LoadResult> {
    const timeout = this.opts.timeoutMs ?? 10_000;
    const poolOpts = {
      connections: this.opts.connections ?? 64,
      pipelining: 1,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      keepAliveTimeout: 10_000,
    };
    const pool = new Pool(target.baseUrl, poolOpts);
    const edgePool = target.edgeUrl ? new Pool(target.edgeUrl, poolOpts) : pool;
    const maxInFlight = this.opts.maxInFlight ?? 2000;
    // In a worker thread samples are batched to the aggregating thread; here they are aggregated.
    const agg = new WindowAggregator();
    const batcher = share ? new SampleBatcher() : null;
    const sink = batcher ?? agg;
    const pick = weightedPicker(workload.mix);
    const key: KeySampler = createKeySampler(workload.keys);
    const startedAt = share?.startAt ?? hrNow();
    const endAt = startedAt + workloadDuration(workload) * 1000;
    const of = share?.of ?? 1;
    const fullRateAt = (at: number) => this.rateOverride ?? targetRateAt(workload, (at - startedAt) / 1000);
    // A share sends every `of`-th arrival: the same schedule, interleaved across threads.
    const rateAt = (at: number) => fullRateAt(at) / of;
    const inFlight = new Set<Promise<void>>();
    let lateMax = 0;
    let cpuPrev = process.cpuUsage();
    let cpuPrevAt = hrNow();

    const send = async (
      call: Call,
      endpoint: string,
      scheduled: number,
    ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body?: string }> => {
      const sample: RequestSample = { at: 0, latencyMs: 0, endpoint, status: 0 };
      let result: { status: number; headers: Record<string, string | string[] | undefined>; body?: string } = {
        status: 0,
        headers: {},
      };
      try {
        const res = await (call.edge ? edgePool : pool).request({
          method: call.method,
          path: call.path,
          body: call.body,
          headers: { ...(call.body ? { 'content-type': 'application/json' } : {}), ...call.headers },
        });
        const body = call.method === 'POST' ? await res.body.text() : (await res.body.dump(), undefined);
        const h = res.headers;
        const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
        sample.status = res.statusCode;
        sample.failure = failureOfStatus(res.statusCode);
        const edge = str(h['x-edge-cache']);
        sample.cache = call.edge && edge ? `EDGE_${edge}` : str(h['x-cache']);
        // nginx replays a cached response's x-instance: a response the edge served is the edge's.
        sample.instance = sample.cache && EDGE_SERVED.has(sample.cache) ? undefined : str(h['x-instance']);
        sample.dbNode = str(h['x-db-node']);
        sample.serverTiming = parseServerTiming(str(h['server-timing']));
        sample.stale = h['x-stale-read'] === '1';
        result = { status: res.statusCode, headers: h, body };
      } catch (err) {
        sample.status = 0;
        sample.failure = failureOfError(err);
      }
      sample.at = hrNow();
      sample.latencyMs = sample.at - scheduled;
      sink.record(sample);
      return result;
    };

    const callFor = (endpoint: string, k: number): Call => {
      switch (endpoint) {
        case 'cheap-read':
          return { method: 'GET', path: `/products/${k}` };
        case 'expensive-read':
          return { method: 'GET', path: `/categories/${1 + (k % 20)}/top` };
        case 'list':
          return { method: 'GET', path: `/products?page=${1 + (k % 50)}&size=20` };
        case 'static':
          return {
            method: 'GET',
            path: k % 5 === 0 ? '/static/app.js' : `/static/img/${1 + (k % 20)}.svg`,
            edge: true,
          };
        case 'slow':
          return { method: 'GET', path: `/slow?ms=${workload.slowMs}` };
        default:
          return { method: 'POST', path: '/orders', body: JSON.stringify({ productId: k, quantity: 1 + (k % 3) }) };
      }
    };

    const arrival = async (scheduled: number): Promise<void> => {
      const endpoint = pick();
      const k = key();
      if (endpoint !== 'read-own-write') {
        await send(callFor(endpoint, k), endpoint, scheduled);
        return;
      }
      // Write, think, then read the order back with the cookie the write set (read-your-writes).
      const w = await send(callFor('write', k), 'write', scheduled);
      if (w.status !== 201 || !w.body) return;
      const id = (JSON.parse(w.body) as { id: number }).id;
      const cookie = String(w.headers['set-cookie'] ?? '').split(';')[0];
      if (workload.thinkTimeMs > 0) await sleep(workload.thinkTimeMs);
      if (this.stopped) return;
      await send(
        { method: 'GET', path: `/orders/${id}`, headers: cookie ? { cookie } : {} },
        'read-own-write',
        hrNow(),
      );
    };

    const flush = (before: number) => {
      const now = hrNow();
      const cpu = process.cpuUsage(cpuPrev);
      const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, now - cpuPrevAt)) * 100;
      cpuPrev = process.cpuUsage();
      cpuPrevAt = now;
      if (share && batcher) {
        const batch = batcher.take();
        share.post({ type: 'tick', batch, gen: { lateMsMax: lateMax, inFlight: inFlight.size } }, transferables(batch));
      } else
        for (const w of agg.flush(before, Math.round(fullRateAt(now) * 100) / 100, {
          lateMsMax: lateMax,
          inFlight: inFlight.size,
          cpuPercent,
        }))
          onWindow(w);
      lateMax = 0;
    };
    const ticker = setInterval(() => flush(hrNow()), 250);

    let next = startedAt + (share ? (share.index * 1000) / Math.max(1e-9, fullRateAt(startedAt)) : 0);
    try {
      while (!this.stopped && hrNow() < endAt) {
        const now = hrNow();
        // Catch up on every arrival that is due, each keeping its scheduled time.
        while (next <= now && next < endAt && !this.stopped) {
          const rate = rateAt(next);
          if (rate <= 0) {
            next = now + 10;
            break;
          }
          sink.sent(now);
          if (inFlight.size >= maxInFlight) {
            sink.dropped(now);
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
      engine: 'builtin',
      startedAt: Math.round(startedAt),
      endedAt: Math.round(endedAt),
      totals: { ...agg.totals },
      failuresByReason: { ...agg.failuresByReason },
      latency: summarize(agg.total),
      thresholds,
      stoppedEarly: this.stopped && endedAt < endAt,
    };
  }
}
