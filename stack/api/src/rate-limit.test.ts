// The per-client limit: its decisions over the fake Redis, and what the HTTP layer answers.
import { afterEach, describe, expect, it } from 'vitest';
import { checkLimit } from './rate-limit.js';
import { FakeCache, start, stopServer, switches } from './test-server.js';

afterEach(stopServer);

const fixed = { enabled: true, algorithm: 'fixed-window' as const, limit: 3, windowSeconds: 1, header: 'x-client-id' };

describe('per-client rate limit', () => {
  it('fixed window: a client gets its limit per window, then a retry-after to the window end', async () => {
    const redis = new FakeCache();
    const at = 10_250; // 250 ms into a window
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await checkLimit(redis, fixed, 'noisy', at));
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(seen.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(seen[3].retryAfter).toBe(1);
    // Another client has its own count; the next window starts again.
    expect((await checkLimit(redis, fixed, 'quiet', at)).allowed).toBe(true);
    expect((await checkLimit(redis, fixed, 'noisy', 11_000)).allowed).toBe(true);
  });

  it("sliding window: counts the window's last second, whatever the clock's window boundaries", async () => {
    const redis = new FakeCache();
    const c = { ...fixed, algorithm: 'sliding-window' as const };
    for (const t of [900, 950, 990]) expect((await checkLimit(redis, c, 'a', t)).allowed).toBe(true);
    // A fixed window would open again at 1000; the sliding one still holds 3 requests from the last second.
    expect((await checkLimit(redis, c, 'a', 1_010)).allowed).toBe(false);
    expect((await checkLimit(redis, c, 'a', 1_901)).allowed).toBe(true);
  });

  it('lets requests through, unchecked, when Redis does not answer', async () => {
    const down = { fixedWindowHit: async () => null, slidingWindowHit: async () => null };
    expect(await checkLimit(down, fixed, 'noisy')).toMatchObject({ allowed: true, checked: false });
  });

  it('over HTTP: 429 with retry-after and the limit, by the configured header; health and metrics never limited', async () => {
    // A minute's window: the test never straddles two.
    const { get } = await start(switches({ rateLimit: { ...fixed, windowSeconds: 60, header: 'x-tenant' } }));
    const as = (id: string) => get('/products/1', { headers: { 'x-tenant': id } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await as('noisy')).status);
    expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
    const refused = await as('noisy');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit')).toBe('fixed-window');
    expect(refused.headers.get('x-ratelimit-limit')).toBe('3');
    expect((await as('quiet')).status).toBe(200);
    expect((await as('quiet')).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await get('/healthz')).status).toBe(200);
  });
});
