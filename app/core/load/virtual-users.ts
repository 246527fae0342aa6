// The built-in engine's virtual users (workload.clients): each with a cookie jar of its own and a
// client id it sends in the stack's client id header, as a browser or a k6 VU would. With
// `noisyShare`, one of them ("noisy") makes that share of the arrivals and the rest share the
// others: the rate-limit lesson's one client that asks too much.
import type { Workload } from './workload-schema.js';
import { CookieJar } from './cookie-jar.js';

export interface VirtualUser {
  /** Sent in the client id header. */
  id: string;
  /** For the figures: 'noisy' or 'others' when the workload has a noisy client. */
  cls?: 'noisy' | 'others';
  jar: CookieJar;
}

export const DEFAULT_CLIENT_HEADER = 'x-client-id';

/** This thread's users (its share of them: `of` threads split `clients`), or null when the
 *  workload has none (every arrival a new client without cookies or id). */
export function virtualUsers(
  w: Pick<Workload, 'clients' | 'noisyShare'>,
  thread = { index: 0, of: 1 },
  random = Math.random,
): { pick(): VirtualUser } | null {
  if (!w.clients) return null;
  const noisy = (w.noisyShare ?? 0) > 0;
  const n = Math.max(noisy ? 2 : 1, Math.round(w.clients / thread.of));
  const users: VirtualUser[] = Array.from({ length: n }, (_, u) => ({
    // One noisy client over all threads: the same id, so the limiter counts it as one.
    id: noisy && u === 0 ? 'noisy' : `client-${thread.index}-${u}`,
    ...(noisy ? { cls: u === 0 ? ('noisy' as const) : ('others' as const) } : {}),
    jar: new CookieJar(),
  }));
  return {
    // Drawn at random, as k6 hands an arrival to whichever VU is free: in turn, users and a
    // round-robin balancer would line up (user u always on instance u mod 3).
    pick: () =>
      noisy
        ? random() < w.noisyShare!
          ? users[0]
          : users[1 + Math.floor(random() * (n - 1))]
        : users[Math.floor(random() * n)],
  };
}

/** A user's request headers to the entry point: its cookies and its client id. */
export function userHeaders(u: VirtualUser, clientHeader = DEFAULT_CLIENT_HEADER): Record<string, string> {
  const cookie = u.jar.header();
  return { [clientHeader]: u.id, ...(cookie ? { cookie } : {}) };
}
