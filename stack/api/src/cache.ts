// Redis access for cache-aside and write-through. A cache that is down or slow must not
// fail requests: every operation has a short timeout and a failure reads as BYPASS.
import { Redis } from 'ioredis';
import type { Metrics } from './metrics.js';
import { WriteQueue } from './write-queue.js';

export type CacheResult = 'HIT' | 'MISS' | 'BYPASS';

/** KEYS[1] the client's log; ARGV now, window (ms), limit, this request's member. Returns the
 *  count with this request: above the limit, it was not added. */
const SLIDING_WINDOW_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, tonumber(ARGV[1]) - tonumber(ARGV[2]))
local n = redis.call('ZCARD', KEYS[1])
if n < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n + 1`;

export class Cache {
  private redis: Redis;
  /** cache.strategy write-behind's queue, on the same connection. */
  readonly queue: WriteQueue;

  constructor(
    host: string,
    private readonly metrics: Metrics,
    password = '',
  ) {
    this.redis = new Redis({
      host,
      ...(password ? { password } : {}),
      port: 6379,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 250,
      connectTimeout: 1000,
      retryStrategy: () => 200,
    });
    this.redis.on('error', () => {
      /* reported per operation as BYPASS */
    });
    this.redis.connect().catch(() => undefined);
    this.queue = new WriteQueue(this.redis);
  }

  /** Waits (bounded) until Redis is connected, so a "cache on" switch works from its first request. */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.redis.once('ready', onReady);
    });
  }

  async get(key: string): Promise<{ result: CacheResult; value?: string; ms: number }> {
    const started = performance.now();
    try {
      const value = await this.redis.get(key);
      const result: CacheResult = value === null ? 'MISS' : 'HIT';
      this.metrics.cacheOps.inc({ result: result.toLowerCase() });
      return { result, value: value ?? undefined, ms: performance.now() - started };
    } catch {
      this.metrics.cacheOps.inc({ result: 'error' });
      return { result: 'BYPASS', ms: performance.now() - started };
    }
  }

  /** get, with the entry's time left to live (PTTL, ms) in the same round trip: refresh-ahead's look. */
  async getWithTtl(key: string): Promise<{ result: CacheResult; value?: string; ms: number; ttlLeftMs?: number }> {
    const started = performance.now();
    try {
      const res = await this.redis.multi().get(key).pttl(key).exec();
      const value = res?.[0]?.[1];
      const ttl = res?.[1]?.[1];
      const result: CacheResult = typeof value === 'string' ? 'HIT' : 'MISS';
      this.metrics.cacheOps.inc({ result: result.toLowerCase() });
      return {
        result,
        value: typeof value === 'string' ? value : undefined,
        ms: performance.now() - started,
        ttlLeftMs: typeof ttl === 'number' ? ttl : undefined,
      };
    } catch {
      this.metrics.cacheOps.inc({ result: 'error' });
      return { result: 'BYPASS', ms: performance.now() - started };
    }
  }

  /** An entry as it is now, without counting a cache read (a coalesced waiter's look). */
  async peek(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(key)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** SET key NX PX: the lock of one key's load (cache.coalescing redis-lock). Down, no one holds it. */
  async tryLock(key: string, ms: number): Promise<boolean> {
    try {
      return (await this.redis.set(key, '1', 'PX', ms, 'NX')) === 'OK';
    } catch {
      return true;
    }
  }

  async unlock(key: string): Promise<void> {
    await this.redis.del(key).catch(() => undefined);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<number> {
    const started = performance.now();
    try {
      await this.redis.set(key, value, 'EX', ttlSeconds);
    } catch {
      this.metrics.cacheOps.inc({ result: 'error' });
    }
    return performance.now() - started;
  }

  async del(...keys: string[]): Promise<number> {
    const started = performance.now();
    try {
      await this.redis.del(...keys);
    } catch {
      this.metrics.cacheOps.inc({ result: 'error' });
    }
    return performance.now() - started;
  }

  /** Fixed window, as the guide shows it: INCR the client's counter for this window, EXPIRE it
   *  with the window when it is new. The count so far (this request included), or null when Redis
   *  does not answer (the limiter then lets the request through). */
  async fixedWindowHit(key: string, windowSeconds: number): Promise<number | null> {
    try {
      const res = await this.redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec();
      const count = res?.[0]?.[1];
      return typeof count === 'number' ? count : null;
    } catch {
      this.metrics.cacheOps.inc({ result: 'error' });
      return null;
    }
  }

  /** Sliding window (a log in a sorted set): drop what left the window, count what is in it, and
   *  add this request only when it is allowed, all in one script so concurrent requests agree. */
  async slidingWindowHit(key: string, nowMs: number, windowMs: number, limit: number): Promise<number | null> {
    try {
      const member = `${nowMs}-${Math.random().toString(36).slice(2, 10)}`;
      const n = await this.redis.eval(SLIDING_WINDOW_LUA, 1, key, nowMs, windowMs, limit, member);
      return typeof n === 'number' ? n : null;
    } catch {
      this.metrics.cacheOps.inc({ result: 'error' });
      return null;
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}
