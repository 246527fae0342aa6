// A cache stampede's cures, for cache-aside reads. When a hot entry expires, every request that
// misses it before one has refilled it goes to the database: at 200 requests a second and a 100 ms
// query, twenty queries for one key. cache.coalescing:
//   single-flight  concurrent misses of one key in this process share one load (one per process);
//   redis-lock     the first miss anywhere takes a lock in Redis (SET NX PX) and loads; the others
//                  wait for the entry and read it (one load per key for the whole stack), falling
//                  back to a load of their own if it has not come by the time the lock lapses.
// cache.refreshAhead: a hit on an entry in the last fifth of its TTL refreshes it in the background
// (through the same single flight and lock), so a hot entry never expires under load.

export const LOCK_MS = 2000;
const WAIT_STEP_MS = 20;
/** A hit this close to its expiry (a share of the TTL) is refreshed ahead. */
export const REFRESH_AHEAD_SHARE = 0.2;

export type Coalescing = 'none' | 'single-flight' | 'redis-lock';

export interface LockPort {
  /** SET key NX PX ms: true when this caller holds it now. */
  tryLock(key: string, ms: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
  /** The entry, if it is there now (a waiter's look). */
  peek(key: string): Promise<string | undefined>;
}

/** Concurrent calls for one key share the first one's promise until it settles. */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): { promise: Promise<T>; leader: boolean } {
    const going = this.inFlight.get(key) as Promise<T> | undefined;
    if (going) return { promise: going, leader: false };
    const promise = fn().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return { promise, leader: true };
  }

  get size(): number {
    return this.inFlight.size;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Loads a missed entry the way `mode` says. `fill` loads it and writes it to the cache, returning
 * its text (or undefined when there is nothing to cache). Resolves with the entry's text, and
 * whether this call did the load itself (a follower's request never reached the database).
 */
export async function coalescedLoad(
  mode: Coalescing,
  key: string,
  flights: SingleFlight,
  locks: LockPort,
  fill: () => Promise<string | undefined>,
): Promise<{ text: string | undefined; loaded: boolean }> {
  if (mode === 'none') return { text: await fill(), loaded: true };
  let loaded = false;
  const { promise } = flights.run(key, async () => {
    if (mode === 'single-flight') {
      loaded = true;
      return fill();
    }
    const lock = `lock:${key}`;
    if (await locks.tryLock(lock, LOCK_MS)) {
      try {
        loaded = true;
        return await fill();
      } finally {
        await locks.unlock(lock);
      }
    }
    // Another process is loading it: wait for its entry, at most as long as its lock lives.
    for (let waited = 0; waited < LOCK_MS; waited += WAIT_STEP_MS) {
      await sleep(WAIT_STEP_MS);
      const text = await locks.peek(key);
      if (text !== undefined) return text;
    }
    loaded = true;
    return fill();
  });
  const text = await promise;
  return { text, loaded };
}

/** Whether a hit with `ttlLeftMs` to live (of `ttlSeconds`) is refreshed ahead. */
export const dueForRefresh = (ttlLeftMs: number, ttlSeconds: number) =>
  ttlLeftMs >= 0 && ttlLeftMs < ttlSeconds * 1000 * REFRESH_AHEAD_SHARE;
