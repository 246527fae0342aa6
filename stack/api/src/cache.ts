// Redis access for cache-aside and write-through. A cache that is down or slow must not
// fail requests: every operation has a short timeout and a failure reads as BYPASS.
import { Redis } from 'ioredis';
import type { Metrics } from './metrics.js';

export type CacheResult = 'HIT' | 'MISS' | 'BYPASS';

export class Cache {
  private redis: Redis;

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

  close(): void {
    this.redis.disconnect();
  }
}
