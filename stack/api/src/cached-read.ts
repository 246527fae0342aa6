// Cache-aside reads for the handlers: try Redis, else load from the database and fill the entry.
// A miss is coalesced with others of the same key and a hit near its expiry refreshed ahead
// (coalesce.ts), as cache.coalescing and cache.refreshAhead say.
import type { ApiConfig } from './admin-config.js';
import { coalescedLoad, dueForRefresh, SingleFlight } from './coalesce.js';
import type { CachePort, Ctx } from './handlers.js';
import { Timing } from './timing.js';

export function cachedReader(cache: CachePort, settings: () => ApiConfig['cache']) {
  const flights = new SingleFlight();
  /** Cache-aside read: try the cache, else load from the database and fill the cache; a miss
   *  coalesced with others of the same key, a hit near its expiry refreshed ahead (coalesce.ts). */
  return async function cachedRead<T>(
    ctx: Ctx,
    key: string,
    /** Reads from the database, accounting its time and node to the ctx it is given. */
    load: (ctx: Ctx) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const c = settings();
    if (!c.enabled) {
      ctx.cache = 'BYPASS';
      return load(ctx);
    }
    const got = await (c.refreshAhead ? cache.getWithTtl(key) : cache.get(key));
    ctx.timing.cache += got.ms;
    ctx.cache = got.result;
    // Redis does not answer: load, and leave the cache alone.
    if (got.result === 'BYPASS') return load(ctx);
    const fill = (into: Ctx) => async () => {
      const value = await load(into);
      if (value === undefined) return undefined;
      const text = JSON.stringify(value);
      into.timing.cache += await cache.set(key, text, c.ttlSeconds);
      return text;
    };
    if (got.value !== undefined) {
      const left = (got as { ttlLeftMs?: number }).ttlLeftMs;
      if (c.refreshAhead && left !== undefined && dueForRefresh(left, c.ttlSeconds)) {
        // In the background, once per key (a single flight at least): this hit answers now.
        const mode = c.coalescing === 'none' ? 'single-flight' : c.coalescing;
        // Its own ctx: the request it started from has been answered by then.
        const detached: Ctx = { timing: new Timing(), cache: 'MISS', dbNode: 'none', stale: false };
        void coalescedLoad(mode, key, flights, cache, fill(detached)).catch(() => undefined);
      }
      return JSON.parse(got.value) as T;
    }
    const { text } = await coalescedLoad(c.coalescing, key, flights, cache, fill(ctx));
    return text === undefined ? undefined : (JSON.parse(text) as T);
  };
}
