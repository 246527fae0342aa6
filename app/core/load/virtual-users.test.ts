import { describe, expect, it } from 'vitest';
import { userHeaders, virtualUsers } from './virtual-users.js';

describe('virtual users', () => {
  it('none without clients: every arrival a new client', () => {
    expect(virtualUsers({})).toBeNull();
  });

  it('one "noisy" client makes its share of the arrivals, the others share the rest, on every thread', () => {
    const picks = (thread: { index: number; of: number }) => {
      const users = virtualUsers({ clients: 40, noisyShare: 0.5 }, thread)!;
      return Array.from({ length: 4000 }, () => users.pick());
    };
    const a = picks({ index: 0, of: 2 });
    const noisy = a.filter((u) => u.id === 'noisy');
    expect(noisy.length / a.length).toBeGreaterThan(0.45);
    expect(noisy.length / a.length).toBeLessThan(0.55);
    expect(noisy.every((u) => u.cls === 'noisy')).toBe(true);
    expect(new Set(a.filter((u) => u.cls === 'others').map((u) => u.id)).size).toBe(19);
    // The other thread's noisy client is the same client; its others are its own.
    const b = picks({ index: 1, of: 2 });
    expect(b.some((u) => u.id === 'noisy')).toBe(true);
    expect(b.some((u) => u.id === 'client-1-1')).toBe(true);
  });

  it("sends the user's id in the stack's header, with its cookies", () => {
    const u = virtualUsers({ clients: 1 }, { index: 0, of: 1 })!.pick();
    expect(userHeaders(u, 'x-tenant')).toEqual({ 'x-tenant': 'client-0-0' });
    u.jar.store('sid=abc; Path=/');
    expect(userHeaders(u)).toEqual({ 'x-client-id': 'client-0-0', cookie: 'sid=abc' });
  });
});
