import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.js';

describe('a virtual user’s cookie jar', () => {
  it('sends back what Set-Cookie gave, one or several headers, and forgets what expires', () => {
    const jar = new CookieJar();
    expect(jar.header(0)).toBeUndefined();
    jar.store('sid=0123456789abcdef01234567; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax', 0);
    jar.store(['SCALELAB_SERVER=3a9f1c2e; path=/; HttpOnly', 'lw=1700000000000; Path=/; Max-Age=600'], 0);
    expect(jar.header(1000)).toBe('sid=0123456789abcdef01234567; SCALELAB_SERVER=3a9f1c2e; lw=1700000000000');
    // lw's 600 s are over; the session's 1800 s are not; the balancer's cookie has no end.
    expect(jar.header(700_000)).toBe('sid=0123456789abcdef01234567; SCALELAB_SERVER=3a9f1c2e');
    jar.store('sid=; Max-Age=0', 700_000);
    expect(jar.header(700_000)).toBe('SCALELAB_SERVER=3a9f1c2e');
  });
});
