// Carts and their sessions: what each store knows, and what the HTTP layer says about it.
import { afterEach, describe, expect, it } from 'vitest';
import { cart, MemorySessions, RedisSessions, sessionIdOf } from './sessions.js';
import { FakeCache, start, stopServer, switches, TOKEN } from './test-server.js';

afterEach(stopServer);

describe('sessions', () => {
  it('a first request is new; its cookie finds the cart again; another store has never heard of it', async () => {
    const mine = new MemorySessions();
    const first = await cart(mine, undefined, { productId: 7, quantity: 1 });
    expect(first).toMatchObject({ state: 'new', items: [{ productId: 7, quantity: 1 }] });
    const cookie = `lw=1; sid=${first.sid}`;
    expect(await cart(mine, cookie, { productId: 7, quantity: 2 })).toMatchObject({
      state: 'found',
      items: [{ productId: 7, quantity: 3 }],
    });
    // Another instance's memory: the session is lost, and a new one starts, empty, under a new id.
    const other = new MemorySessions();
    const lost = await cart(other, cookie);
    expect(lost).toMatchObject({ state: 'lost', items: [] });
    expect(lost.sid).not.toBe(first.sid);
    expect(await cart(other, cookie)).toMatchObject({ state: 'lost' });
    expect(await cart(other, `sid=${lost.sid}`)).toMatchObject({ state: 'found' });
  });

  it('in Redis every instance finds every cart; an unreachable Redis is a 503, not an empty cart', async () => {
    const redis = new FakeCache();
    const a = await cart(new RedisSessions(redis), undefined, { productId: 3, quantity: 1 });
    expect(await cart(new RedisSessions(redis), `sid=${a.sid}`)).toMatchObject({
      state: 'found',
      items: [{ productId: 3 }],
    });
    const down = { get: async () => ({ result: 'BYPASS' as const, ms: 250 }), set: async () => 0 };
    await expect(cart(new RedisSessions(down), `sid=${a.sid}`)).rejects.toThrow(
      /session store \(Redis\) is not reachable/,
    );
  });

  it('reads only a well-formed session id from the cookie header', () => {
    expect(sessionIdOf(`a=1; sid=${'ab'.repeat(12)}; b=2`)).toBe('ab'.repeat(12));
    expect(sessionIdOf('sid=../../etc')).toBeUndefined();
    expect(sessionIdOf(`xsid=${'ab'.repeat(12)}`)).toBeUndefined();
    expect(sessionIdOf(undefined)).toBeUndefined();
  });

  it('over HTTP: x-session says new, found or lost, the cookie is HttpOnly, and the store follows the switch', async () => {
    const { get } = await start(switches({ cache: { enabled: true } }));
    const add = (cookie?: string) =>
      get('/cart/items', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ productId: 5 }),
      });
    const first = await add();
    expect(first.status).toBe(201);
    expect(first.headers.get('x-session')).toBe('new');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sid=[0-9a-f]{24}; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(';')[0];
    const again = await get('/cart', { headers: { cookie } });
    expect(again.headers.get('x-session')).toBe('found');
    expect(await again.json()).toEqual({ items: [{ productId: 5, quantity: 1 }], store: 'memory' });
    // Sessions to Redis: the carts in this process's memory are left behind.
    const to = await get('/admin/config', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(switches({ sessions: 'redis', cache: { enabled: true } })),
    });
    expect(to.status).toBe(200);
    const moved = await get('/cart', { headers: { cookie } });
    expect(moved.headers.get('x-session')).toBe('lost');
    const renewed = (moved.headers.get('set-cookie') ?? '').split(';')[0];
    expect(renewed).not.toBe(cookie);
    expect((await get('/cart', { headers: { cookie: renewed } })).headers.get('x-session')).toBe('found');
    expect((await get('/cart/items', { method: 'POST', body: '{"productId":0}' })).status).toBe(400);
  });
});
