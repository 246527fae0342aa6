// Stale prices, judged by the load generator from what it wrote itself: it is the only writer of
// prices (PUT /products/:id), so for each product it knows the prices it had acknowledged when a
// read began. A read is stale when it shows a price older than the last one acknowledged before it
// started, and no write still in flight then could have given it. Pure; fed from every thread's
// samples, judged when a read's second closes (writes acknowledged before it started are in by then).

/** Writes kept per product: enough to recognise an older price. */
const KEEP = 16;

interface Write {
  price: number;
  startedAt: number;
  ackedAt: number;
}

export class PriceLedger {
  private readonly writes = new Map<number, Write[]>();

  /** A price write; `ackedAt` null when its outcome is unknown (it failed or timed out: it may still
   *  have committed, so a read showing its price is never called stale). */
  write(product: number, price: number, startedAt: number, ackedAt: number | null): void {
    const list = this.writes.get(product) ?? [];
    list.push({ price, startedAt, ackedAt: ackedAt ?? Infinity });
    if (list.length > KEEP) list.shift();
    this.writes.set(product, list);
  }

  /** fresh, stale, or unknown (no write of this product acknowledged before the read began). */
  judge(product: number, price: number, startedAt: number): 'fresh' | 'stale' | 'unknown' {
    const list = this.writes.get(product);
    const before = list?.filter((w) => w.ackedAt <= startedAt) ?? [];
    if (!before.length) return 'unknown';
    const last = before.reduce((a, b) => (b.ackedAt > a.ackedAt ? b : a));
    if (price === last.price) return 'fresh';
    // A write acknowledged after the read began may have committed before the read did.
    if (list!.some((w) => w.ackedAt > startedAt && w.price === price)) return 'fresh';
    return 'stale';
  }
}
