// A drill's own writes: orders POSTed through the stack's entry point at a steady pace, each
// remembered with when it was sent, when it was answered and the order id it was acknowledged
// with. The failover figures come from these (write outage, acknowledged writes lost), so they
// are measured where a client stands. Bounded: it stops by itself after maxMs.
import { randomBytes } from 'node:crypto';
import type { DbRows } from '../runtime/db-rows.js';

export interface ProbeWrite {
  sentAt: number;
  doneAt: number;
  /** The order id the API acknowledged (201), or null for a failed write. */
  id: number | null;
  /** Why a write failed: "HTTP 503: <the API's error>", or the connection error. */
  failure?: string;
}

export interface WriteProbeOptions {
  entryUrl: string;
  /** Writes started per second. */
  rate?: number;
  /** Writes allowed in flight at once; past this the probe waits (a hung stack is not flooded). */
  maxInFlight?: number;
  timeoutMs?: number;
  maxMs?: number;
}

export class WriteProbe {
  /** Every order the probe writes carries this client id, so its rows are told from the load's. */
  readonly clientId = `drill-${randomBytes(6).toString('hex')}`;
  readonly writes: ProbeWrite[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();
  private readonly startedAt = Date.now();

  constructor(private readonly o: WriteProbeOptions) {}

  start(): void {
    const every = 1000 / (this.o.rate ?? 40);
    this.timer = setInterval(() => {
      if (Date.now() - this.startedAt > (this.o.maxMs ?? 180_000)) return void this.stopTimer();
      if (this.inFlight.size >= (this.o.maxInFlight ?? 32)) return;
      const p = this.write().finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, every);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops sending and waits for the writes in flight to be answered or time out. */
  async stop(): Promise<void> {
    this.stopTimer();
    await Promise.allSettled([...this.inFlight]);
  }

  private async write(): Promise<void> {
    const sentAt = Date.now();
    let id: number | null = null;
    let failure: string | undefined;
    try {
      const res = await fetch(`${this.o.entryUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-client-id': this.clientId },
        body: JSON.stringify({ productId: 1 + Math.floor(Math.random() * 100), quantity: 1 }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 3000),
      });
      if (res.status === 201) {
        const body = (await res.json()) as { id?: unknown };
        id = typeof body.id === 'number' ? body.id : null;
      } else failure = `HTTP ${res.status}: ${(await res.text()).slice(0, 120)}`;
    } catch (err) {
      failure = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
    }
    this.writes.push({ sentAt, doneAt: Date.now(), id, ...(failure ? { failure } : {}) });
  }

  /** Resolves once the writes sent in the last `quietMs` all succeeded (at least one did), or
   *  after `limitMs`: after a fault a few stale connections can still fail a write or two, and
   *  the outage only ends when writes are steady again. False when they never were. */
  async steady(quietMs: number, limitMs: number): Promise<boolean> {
    const until = Date.now() + limitMs;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      const since = Date.now() - quietMs;
      const recent = this.writes.filter((w) => w.sentAt >= since);
      const failedRecently = this.writes.some((w) => w.id === null && w.doneAt >= since);
      if (recent.length > 0 && !failedRecently && recent.every((w) => w.id !== null)) return true;
    }
    return false;
  }

  /** The commonest reasons writes failed since `t`, with their counts, for a note. */
  failuresSince(t: number, most = 3): string {
    const counts = new Map<string, number>();
    for (const w of this.writes)
      if (w.id === null && w.sentAt >= t) counts.set(w.failure ?? '?', (counts.get(w.failure ?? '?') ?? 0) + 1);
    return [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, most)
      .map(([why, n]) => `${n}× ${why}`)
      .join('; ');
  }

  acknowledgedSince(t: number): number {
    return this.writes.filter((w) => w.sentAt >= t && w.id !== null).length;
  }
}

/** The ids of a probe's orders present in the database now, read at `address` through `rows`
 *  (pg to a published port, db-rows.ts; on Swarm psql over the overlay, where the router publishes
 *  none). The client id is the probe's own (drill- and hex), so it is safe in the query's text. */
export async function probeOrdersPresent(rows: DbRows, address: string, clientId: string): Promise<Set<number>> {
  if (!/^[\w-]+$/.test(clientId)) throw new Error(`not a probe's client id: ${clientId}`);
  const found = await rows(address, 'scalelab', `SELECT id::int AS id FROM orders WHERE client_id = '${clientId}'`);
  return new Set(found.map((r) => Number(r.id)));
}
