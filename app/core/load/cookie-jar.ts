// A virtual user's cookies, as a browser (or a k6 VU) keeps them for one site: what Set-Cookie
// gave it, sent back on every request, dropped when expired. Parsing is undici's (getSetCookies).
import { getSetCookies, Headers } from 'undici';

export class CookieJar {
  private readonly cookies = new Map<string, { value: string; expires: number }>();

  /** The Cookie header for a request now, or undefined when the jar is empty. */
  header(now = Date.now()): string | undefined {
    const live: string[] = [];
    for (const [name, c] of this.cookies) {
      if (c.expires <= now) this.cookies.delete(name);
      else live.push(`${name}=${c.value}`);
    }
    return live.length ? live.join('; ') : undefined;
  }

  /** Keeps what a response's Set-Cookie header(s) say; Max-Age=0 or a past Expires removes. */
  store(setCookie: string | string[] | undefined, now = Date.now()): void {
    if (!setCookie) return;
    const headers = new Headers();
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) headers.append('set-cookie', line);
    for (const c of getSetCookies(headers)) {
      const expires =
        c.maxAge !== undefined
          ? now + c.maxAge * 1000
          : c.expires instanceof Date
            ? c.expires.getTime()
            : Number.POSITIVE_INFINITY;
      if (expires <= now) this.cookies.delete(c.name);
      else this.cookies.set(c.name, { value: c.value, expires });
    }
  }
}
