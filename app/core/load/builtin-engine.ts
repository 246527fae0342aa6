// The built-in load engine: an open model. Requests are scheduled at the target arrival rate
// whether or not earlier ones have answered, and latency is measured from the *scheduled* send
// time, so a slow server cannot hide its queueing (no coordinated omission). undici pools bound
// the connections; a bound on requests in flight turns overload into counted drops, as k6 does.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import type { EngineKind } from '../../contract/load.js';
import { EDGE_SERVED } from '../../contract/series.js';
import { runThreads } from './builtin-threads.js';
import { userHeaders, virtualUsers, type VirtualUser } from './virtual-users.js';
import { failureOfError, failureOfStatus } from './failure-reason.js';
import { createKeySampler, type KeySampler } from './key-sampler.js';
import { summarize } from './latency-histogram.js';
import type { LoadEngine, LoadResult, LoadRunOptions } from './load-engine.js';
import { SampleBatcher, transferables, type SampleBatch } from './sample-batch.js';
import { evaluateThresholds } from './thresholds.js';
import { thresholdMetrics, WindowAggregator, type RequestSample } from './window-aggregator.js';
import { callFor, parseServerTiming, scanKeyAt, weightedPicker, type Call } from './workload-requests.js';
import { targetRateAt, workloadDuration, type Workload } from './workload-schema.js';

/** Reads whose price the ledger judges: through the edge, or through the API (and its cache). */
const PRICE_READS = new Set(['edge-read', 'price-read']);
export { parseServerTiming };

export interface BuiltinEngineOptions {
  /** Connections per target (undici pool size), per thread. Enough that an instance which hangs
   *  does not hold them all: requests left waiting for one are the generator's delay, flagged. */
  connections?: number;
  /** Requests in flight at most, per thread; arrivals beyond it are dropped and counted. */
  maxInFlight?: number;
  timeoutMs?: number;
  /** Threads that send: 'auto' adds one per PER_THREAD_RATE of peak rate, up to the cores but one. */
  workers?: number | 'auto';
}

/** About half of what one thread measured at most on the 2-core reference machine (npm run bench:load). */
export const PER_THREAD_RATE = 8000;

/** 64 connections all waited on one paused instance and the generator stopped sending for 8 s. */
export const DEFAULT_CONNECTIONS = 512;

/** What a share of the load (one worker thread) reports to the thread that merges. */
export type ShareMessage =
  | { type: 'ready' }
  | { type: 'tick'; batch: SampleBatch; gen: { lateMsMax: number; inFlight: number; waitingMax: number } }
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
/** The product a /products/:id call is about. */
const productOf = (path: string) => Number(/^\/products\/(\d+)/.exec(path)?.[1] ?? 0);

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
    if (n === 1) return this.runShare(opts);
    return runThreads(
      {
        options: this.opts,
        rateOverride: () => this.rateOverride,
        stopped: () => this.stopped,
        setThreads: (ws) => (this.threads = ws),
      },
      opts,
      n,
    );
  }

  /** The open-model loop on this thread: the whole load, or (in a worker) share `index` of `of`. */
  async runShare({ workload, target, onWindow }: LoadRunOptions, share?: Share): Promise<LoadResult> {
    const timeout = this.opts.timeoutMs ?? 10_000;
    const poolOpts = {
      connections: this.opts.connections ?? DEFAULT_CONNECTIONS,
      pipelining: 1,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      keepAliveTimeout: 10_000,
    };
    // Over HTTPS the balancer's own certificate is the one trusted (target.ca), nothing else.
    const pool = new Pool(target.baseUrl, target.ca ? { ...poolOpts, connect: { ca: target.ca } } : poolOpts);
    // keepAlive false: every request on a connection of its own, closed after it (a new handshake).
    const reset = workload.keepAlive === false;
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
    // A scan walks the nine key spaces past the workload's own, in order, each thread its own stride
    // of it: pages asked once a pass, which the workload's other reads never ask.
    let scanned = share?.index ?? 0;
    const scanKey = () => {
      const k = scanKeyAt(scanned, workload.keys.keySpace);
      scanned += of;
      return k;
    };
    const fullRateAt = (at: number) => this.rateOverride ?? targetRateAt(workload, (at - startedAt) / 1000);
    // A share sends every `of`-th arrival: the same schedule, interleaved across threads.
    const rateAt = (at: number) => fullRateAt(at) / of;
    const inFlight = new Set<Promise<void>>();
    let lateMax = 0;
    // Requests scheduled but not yet on a connection (all busy): the generator's own queue.
    let waitingMax = 0;
    let waitingAt = 0;
    const sampleWaiting = (now: number) => {
      if (now - waitingAt < 50) return;
      waitingAt = now;
      // Only a full pool makes a request wait: below its limit, pending ones are being connected.
      const queued = (p: Pool) => (p.stats.connected >= poolOpts.connections ? p.stats.pending : 0);
      const waiting = queued(pool) + (edgePool === pool ? 0 : queued(edgePool));
      waitingMax = Math.max(waitingMax, waiting);
    };
    let cpuPrev = process.cpuUsage();
    let cpuPrevAt = hrNow();

    // Virtual users (workload.clients, this thread's share of them): an arrival is a user's
    // request, carrying its cookies (its cart session, its balancer cookie) and its client id.
    const users = virtualUsers(workload, { index: share?.index ?? 0, of });

    const send = async (
      call: Call,
      endpoint: string,
      scheduled: number,
      user: VirtualUser | null = null,
    ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body?: string }> => {
      const sample: RequestSample = { at: 0, latencyMs: 0, endpoint, status: 0, clientClass: user?.cls };
      let result: { status: number; headers: Record<string, string | string[] | undefined>; body?: string } = {
        status: 0,
        headers: {},
      };
      const sentAt = hrNow();
      // A price write is the ledger's whatever its outcome: one that failed may have committed.
      if (endpoint === 'price-update' && call.body)
        Object.assign(sample, {
          product: productOf(call.path),
          price: (JSON.parse(call.body) as { price: number }).price,
          startedAt: sentAt,
        });
      try {
        const res = await (call.edge ? edgePool : pool).request({
          method: call.method,
          path: call.path,
          body: call.body,
          reset,
          headers: {
            ...(call.body ? { 'content-type': 'application/json' } : {}),
            // The user's cookies are the entry point's: the edge is another site.
            ...(user && !call.edge ? userHeaders(user, target.clientHeader) : {}),
            ...call.headers,
          },
        });
        // Bodies are read where something in them is needed: a write's answer, an edge read's price.
        const body =
          call.method !== 'GET' || PRICE_READS.has(endpoint)
            ? await res.body.text()
            : (await res.body.dump(), undefined);
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
        sample.session = str(h['x-session']);
        // An edge hit replays the version nginx stored: it is the edge's answer, not a version's.
        sample.version = sample.cache && EDGE_SERVED.has(sample.cache) ? undefined : str(h['x-version']);
        if (user && !call.edge) user.jar.store(h['set-cookie']);
        if (res.statusCode === 200 && PRICE_READS.has(endpoint)) {
          const price = Number((JSON.parse(body ?? '{}') as { price?: unknown }).price);
          if (Number.isFinite(price))
            Object.assign(sample, { product: productOf(call.path), price, startedAt: sentAt });
        }
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

    const arrival = async (scheduled: number): Promise<void> => {
      const endpoint = pick();
      const k = endpoint === 'scan-read' ? scanKey() : key();
      const user = users?.pick() ?? null;
      if (endpoint !== 'read-own-write') {
        await send(callFor(endpoint, k, workload.slowMs), endpoint, scheduled, user);
        return;
      }
      // Write, think, then read the order back with the cookie the write set (read-your-writes):
      // the user's jar keeps it, or (no jars) it is carried by hand.
      const w = await send(callFor('write', k, workload.slowMs), 'write', scheduled, user);
      if (w.status !== 201 || !w.body) return;
      const id = (JSON.parse(w.body) as { id: number }).id;
      const cookie = String(w.headers['set-cookie'] ?? '').split(';')[0];
      if (workload.thinkTimeMs > 0) await sleep(workload.thinkTimeMs);
      if (this.stopped) return;
      await send(
        { method: 'GET', path: `/orders/${id}`, headers: !user && cookie ? { cookie } : {} },
        'read-own-write',
        hrNow(),
        user,
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
        share.post(
          { type: 'tick', batch, gen: { lateMsMax: lateMax, inFlight: inFlight.size, waitingMax } },
          transferables(batch),
        );
      } else
        for (const w of agg.flush(before, Math.round(fullRateAt(now) * 100) / 100, {
          lateMsMax: lateMax,
          inFlight: inFlight.size,
          waitingMax,
          cpuPercent,
        }))
          onWindow(w);
      lateMax = 0;
      waitingMax = 0;
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
        sampleWaiting(now);
        await sleep(Math.max(0, Math.min(next - hrNow(), 5)));
      }
      await Promise.race([Promise.allSettled([...inFlight]), sleep(timeout + 1000)]);
    } finally {
      clearInterval(ticker);
      // What is still out after the grace period is given up (counted failed): the run ends on time.
      await Promise.allSettled([pool.destroy(), edgePool === pool ? undefined : edgePool.destroy()]);
      await Promise.allSettled([...inFlight]);
      flush(Number.POSITIVE_INFINITY);
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
