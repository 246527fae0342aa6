import { describe, expect, it } from 'vitest';
import { coalescedLoad, dueForRefresh, SingleFlight, type LockPort } from './coalesce.js';

/** One Redis for every "process": its entries and its locks. */
function fakeRedis() {
  const entries = new Map<string, string>();
  const locks = new Set<string>();
  const port: LockPort = {
    tryLock: async (k) => (locks.has(k) ? false : (locks.add(k), true)),
    unlock: async (k) => void locks.delete(k),
    peek: async (k) => entries.get(k),
  };
  return { entries, port };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a stampede coalesced', () => {
  /** Eight requests missing one key at once, over `processes` processes; how many loads ran. */
  async function stampede(mode: 'none' | 'single-flight' | 'redis-lock', processes: number) {
    const redis = fakeRedis();
    const flights = Array.from({ length: processes }, () => new SingleFlight());
    let loads = 0;
    const fill = async () => {
      loads++;
      await sleep(60);
      redis.entries.set('top:1', '[1,2,3]');
      return '[1,2,3]';
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => coalescedLoad(mode, 'top:1', flights[i % processes], redis.port, fill)),
    );
    expect(results.every((r) => r.text === '[1,2,3]')).toBe(true);
    return { loads, loaders: results.filter((r) => r.loaded).length };
  }

  it('none: every miss loads; single flight: one load a process; a lock in Redis: one for the stack', async () => {
    expect(await stampede('none', 2)).toEqual({ loads: 8, loaders: 8 });
    expect(await stampede('single-flight', 2)).toEqual({ loads: 2, loaders: 2 });
    expect(await stampede('redis-lock', 2)).toEqual({ loads: 1, loaders: 1 });
  });

  it('a waiter whose loader never fills the entry loads it itself once the lock would have lapsed', async () => {
    const redis = fakeRedis();
    await redis.port.tryLock('lock:k', 2000);
    const started = performance.now();
    const r = await coalescedLoad('redis-lock', 'k', new SingleFlight(), redis.port, async () => 'v');
    expect(r).toEqual({ text: 'v', loaded: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('refreshes a hit ahead only in the last fifth of its TTL', () => {
    expect(dueForRefresh(11_000, 60)).toBe(true);
    expect(dueForRefresh(13_000, 60)).toBe(false);
    expect(dueForRefresh(-2, 60)).toBe(false);
  });
});
