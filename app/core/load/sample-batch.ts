// Request samples packed into typed arrays, to cross from a load thread to the thread that
// aggregates: far cheaper than merging histograms (decoding one costs milliseconds). Strings
// (endpoint, instance, cache result, database node, session state) travel once per batch in a small dictionary.
import type { FailureReason } from '../../contract/series.js';
import type { RequestSample } from './window-aggregator.js';

export interface SampleBatch {
  n: number;
  dict: string[];
  at: Float64Array;
  latency: Float64Array;
  status: Uint16Array;
  endpoint: Uint16Array;
  instance: Uint16Array;
  cache: Uint16Array;
  db: Uint16Array;
  failure: Uint16Array;
  session: Uint16Array;
  clientClass: Uint16Array;
  version: Uint16Array;
  stale: Uint8Array;
  /** Price writes and edge reads: product id (0: none), price (NaN: none), when it was sent. */
  product: Uint32Array;
  price: Float64Array;
  startedAt: Float64Array;
  /** Server-Timing parts, NaN where the response had none. */
  tCache: Float32Array;
  tDb: Float32Array;
  tApp: Float32Array;
  tOrigin: Float32Array;
  /** Arrivals sent and dropped, by epoch ms of the event. */
  sent: number[];
  dropped: number[];
}

const NONE = 0; // dictionary index 0 is "absent"

/** Collects samples on a load thread; take() hands over a batch and starts a new one. */
export class SampleBatcher {
  private dict = new Map<string, number>([['', NONE]]);
  private items: RequestSample[] = [];
  private sentAt: number[] = [];
  private droppedAt: number[] = [];

  sent(at: number): void {
    this.sentAt.push(at);
  }
  dropped(at: number): void {
    this.droppedAt.push(at);
  }
  record(s: RequestSample): void {
    this.items.push(s);
  }

  private id(s: string | undefined): number {
    if (!s) return NONE;
    let i = this.dict.get(s);
    if (i === undefined) {
      i = this.dict.size;
      this.dict.set(s, i);
    }
    return i;
  }

  take(): SampleBatch {
    const n = this.items.length;
    const b: SampleBatch = {
      n,
      dict: [],
      at: new Float64Array(n),
      latency: new Float64Array(n),
      status: new Uint16Array(n),
      endpoint: new Uint16Array(n),
      instance: new Uint16Array(n),
      cache: new Uint16Array(n),
      db: new Uint16Array(n),
      failure: new Uint16Array(n),
      session: new Uint16Array(n),
      clientClass: new Uint16Array(n),
      version: new Uint16Array(n),
      stale: new Uint8Array(n),
      product: new Uint32Array(n),
      price: new Float64Array(n),
      startedAt: new Float64Array(n),
      tCache: new Float32Array(n),
      tDb: new Float32Array(n),
      tApp: new Float32Array(n),
      tOrigin: new Float32Array(n),
      sent: this.sentAt,
      dropped: this.droppedAt,
    };
    this.items.forEach((s, i) => {
      b.at[i] = s.at;
      b.latency[i] = s.latencyMs;
      b.status[i] = s.status;
      b.endpoint[i] = this.id(s.endpoint);
      b.instance[i] = this.id(s.instance);
      b.cache[i] = this.id(s.cache);
      b.db[i] = this.id(s.dbNode);
      b.failure[i] = this.id(s.failure);
      b.session[i] = this.id(s.session);
      b.clientClass[i] = this.id(s.clientClass);
      b.version[i] = this.id(s.version);
      b.stale[i] = s.stale ? 1 : 0;
      b.product[i] = s.product ?? 0;
      b.price[i] = s.price ?? NaN;
      b.startedAt[i] = s.startedAt ?? NaN;
      b.tCache[i] = s.serverTiming?.cache ?? NaN;
      b.tDb[i] = s.serverTiming?.db ?? NaN;
      b.tApp[i] = s.serverTiming?.app ?? NaN;
      b.tOrigin[i] = s.serverTiming?.origin ?? NaN;
    });
    b.dict = [...this.dict.keys()];
    this.items = [];
    this.sentAt = [];
    this.droppedAt = [];
    return b;
  }
}

export const transferables = (b: SampleBatch): ArrayBuffer[] =>
  [
    b.at,
    b.latency,
    b.status,
    b.endpoint,
    b.instance,
    b.cache,
    b.db,
    b.failure,
    b.session,
    b.clientClass,
    b.version,
    b.stale,
    b.product,
    b.price,
    b.startedAt,
    b.tCache,
    b.tDb,
    b.tApp,
    b.tOrigin,
  ].map((a) => a.buffer as ArrayBuffer);

/** Replays a batch into a sink (the aggregating thread's WindowAggregator). */
export function replayBatch(
  b: SampleBatch,
  sink: { sent(at: number): void; dropped(at: number): void; record(s: RequestSample): void },
): void {
  for (const at of b.sent) sink.sent(at);
  for (const at of b.dropped) sink.dropped(at);
  const str = (i: number) => (i === NONE ? undefined : b.dict[i]);
  for (let i = 0; i < b.n; i++) {
    const timing: Record<string, number> = {};
    if (!Number.isNaN(b.tCache[i])) timing.cache = b.tCache[i];
    if (!Number.isNaN(b.tDb[i])) timing.db = b.tDb[i];
    if (!Number.isNaN(b.tApp[i])) timing.app = b.tApp[i];
    if (!Number.isNaN(b.tOrigin[i])) timing.origin = b.tOrigin[i];
    sink.record({
      at: b.at[i],
      latencyMs: b.latency[i],
      status: b.status[i],
      endpoint: str(b.endpoint[i]) ?? 'unknown',
      instance: str(b.instance[i]),
      cache: str(b.cache[i]),
      dbNode: str(b.db[i]),
      failure: str(b.failure[i]) as FailureReason | undefined,
      session: str(b.session[i]),
      clientClass: str(b.clientClass[i]),
      version: str(b.version[i]),
      stale: b.stale[i] === 1,
      ...(b.product[i] ? { product: b.product[i], price: b.price[i], startedAt: b.startedAt[i] } : {}),
      serverTiming: Object.keys(timing).length ? timing : undefined,
    });
  }
}
