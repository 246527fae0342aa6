// The per-client rate limit, in Redis so every instance counts the same client together: a fixed
// window (INCR and EXPIRE, as the guide shows it) or a sliding window (a log in a sorted set).
// Keyed by the client id header the switches name; a request without one is "anonymous". Redis
// not answering lets requests through (a limiter must not take the service down with it).
import type { ApiConfig } from './admin-config.js';
import type { Cache } from './cache.js';

export type LimiterPort = Pick<Cache, 'fixedWindowHit' | 'slidingWindowHit'>;

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the client may try again (when refused). */
  retryAfter: number;
  /** 'bypass': Redis did not answer, the request went through unchecked. */
  checked: boolean;
}

const clientKey = (id: string) => id.replace(/[^\w.:-]/g, '_').slice(0, 64) || 'anonymous';

export async function checkLimit(
  port: LimiterPort,
  c: ApiConfig['rateLimit'],
  clientId: string | undefined,
  now = Date.now(),
): Promise<LimitDecision> {
  const id = clientKey(clientId ?? 'anonymous');
  const windowMs = c.windowSeconds * 1000;
  const count =
    c.algorithm === 'fixed-window'
      ? await port.fixedWindowHit(`rl:fixed:${id}:${Math.floor(now / windowMs)}`, c.windowSeconds)
      : await port.slidingWindowHit(`rl:sliding:${id}`, now, windowMs, c.limit);
  if (count === null) return { allowed: true, limit: c.limit, remaining: c.limit, retryAfter: 0, checked: false };
  const allowed = count <= c.limit;
  // A fixed window opens again at its end; a sliding one when its oldest request leaves (at most a window).
  const retryAfter = allowed
    ? 0
    : c.algorithm === 'fixed-window'
      ? Math.ceil((windowMs - (now % windowMs)) / 1000)
      : c.windowSeconds;
  return { allowed, limit: c.limit, remaining: Math.max(0, c.limit - count), retryAfter, checked: true };
}
