// The shard layout: buckets, jump consistent hashing, ranges, and the SQL that must agree with both.
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, bucketsMoving, jumpHash, shardMap, shardOf } from './shard-map.js';

const PRODUCTS = 10_000;
const count = (xs: readonly number[]) =>
  xs.reduce<Record<number, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

describe('jumpHash', () => {
  it('matches the reference implementation (Lamping and Veach) on known keys', () => {
    // ClickHouse's jumpConsistentHash, which is the paper's code, on the keys of its own test
    // (tests/queries/0_stateless/00580_consistent_hashing_functions).
    expect(jumpHash(1, 1)).toBe(0);
    expect(jumpHash(42, 57)).toBe(43);
    expect(jumpHash(256, 1024)).toBe(520);
    expect(jumpHash(3735883980, 1)).toBe(0);
    expect(jumpHash(3735883980, 666)).toBe(361);
  });

  it('moves a key only to the new shard when one is added', () => {
    for (let key = 0; key < 1000; key++)
      for (let n = 1; n < 4; n++) {
        const before = jumpHash(key, n);
        const after = jumpHash(key, n + 1);
        expect(after === before || after === n).toBe(true);
      }
  });
});

describe('shard layouts', () => {
  it('spreads the 64 buckets over every shard under hash, and moves about 1/N of them to a new shard', () => {
    for (let n = 1; n <= 4; n++) {
      const map = shardMap({ count: n, mode: 'hash' });
      expect(new Set(map).size).toBe(n);
      expect(Math.min(...Object.values(count(map)))).toBeGreaterThanOrEqual(BUCKETS / n / 2);
    }
    const moved = bucketsMoving({ count: 3, mode: 'hash' }, { count: 4, mode: 'hash' });
    expect(moved).toBeGreaterThan(BUCKETS / 8);
    expect(moved).toBeLessThan(BUCKETS / 2);
    expect(bucketsMoving({ count: 1, mode: 'hash' }, { count: 2, mode: 'hash' })).toBeLessThan(BUCKETS * 0.7);
  });

  it('splits contiguous product ids under range: the low ids on shard 0, the high on the last', () => {
    const layout = { count: 4, mode: 'range' as const };
    expect(shardOf(1, layout, PRODUCTS)).toBe(0);
    expect(shardOf(2500, layout, PRODUCTS)).toBe(0);
    expect(shardOf(2501, layout, PRODUCTS)).toBe(1);
    expect(shardOf(PRODUCTS, layout, PRODUCTS)).toBe(3);
    // Every boundary moves when a shard is added: far more than hash moves.
    expect(bucketsMoving({ count: 3, mode: 'range' }, layout)).toBeGreaterThan(
      bucketsMoving({ count: 3, mode: 'hash' }, { count: 4, mode: 'hash' }),
    );
  });

  it('spreads neighbouring product ids over the buckets under hash', () => {
    const buckets = Array.from({ length: 640 }, (_, i) => bucketOf(i + 1, 'hash', PRODUCTS));
    expect(new Set(buckets).size).toBe(BUCKETS);
    expect(Math.max(...Object.values(count(buckets)))).toBeLessThan(20);
  });

  it('puts every product in a bucket within range in both modes', () => {
    for (const mode of ['hash', 'range'] as const)
      for (const id of [1, 2, 4999, PRODUCTS]) {
        const b = bucketOf(id, mode, PRODUCTS);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(BUCKETS);
      }
  });
});
