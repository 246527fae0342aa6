import { describe, expect, it } from 'vitest';
import { PriceLedger } from './price-ledger.js';

describe('stale prices, as the only writer of prices judges them', () => {
  it('a read that shows the price acknowledged before it began is fresh; an older one is stale', () => {
    const l = new PriceLedger();
    l.write(7, 10, 0, 5);
    l.write(7, 20, 100, 105);
    expect(l.judge(7, 20, 200)).toBe('fresh');
    expect(l.judge(7, 10, 200)).toBe('stale');
    // The first price before any write of ours, shown after one: stale too.
    expect(l.judge(7, 264.99, 200)).toBe('stale');
  });

  it('does not judge a product it never wrote, or a read that began before any write was acknowledged', () => {
    const l = new PriceLedger();
    expect(l.judge(8, 1, 100)).toBe('unknown');
    l.write(8, 30, 100, 150);
    expect(l.judge(8, 1, 120)).toBe('unknown');
  });

  it('a price from a write still in flight when the read began is fresh: it may have committed first', () => {
    const l = new PriceLedger();
    l.write(9, 10, 0, 5);
    l.write(9, 40, 190, 230);
    expect(l.judge(9, 40, 200)).toBe('fresh');
    expect(l.judge(9, 10, 200)).toBe('fresh');
  });
});

describe('stale prices under faults', () => {
  it('a price from a write that failed (it may have committed) is never called stale', () => {
    const l = new PriceLedger();
    l.write(3, 10, 0, 5);
    l.write(3, 77, 100, null);
    expect(l.judge(3, 77, 500)).toBe('fresh');
    expect(l.judge(3, 10, 500)).toBe('fresh');
    // An older price still is.
    l.write(3, 20, 600, 650);
    expect(l.judge(3, 10, 700)).toBe('stale');
  });
});
