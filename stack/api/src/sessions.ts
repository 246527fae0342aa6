// Where a shopping cart lives between requests: in this process's memory (each instance, and each
// worker of an instance, has its own: a request that lands elsewhere finds nothing), or in Redis
// (every instance sees every cart: the stateless design). The session id travels in a cookie the
// API sets; a request carrying an id its store does not know is a lost session, and says so.
import { randomBytes } from 'node:crypto';
import type { CachePort } from './handlers.js';
import { HttpError } from './handlers.js';

export const SESSION_COOKIE = 'sid';
/** x-session: 'new' (no cookie yet), 'found', or 'lost' (a cookie this store does not know). */
export type SessionState = 'new' | 'found' | 'lost';
export interface CartItem {
  productId: number;
  quantity: number;
}
export interface SessionStore {
  load(sid: string): Promise<CartItem[] | null>;
  save(sid: string, items: CartItem[]): Promise<void>;
}

/** Carts older than this are forgotten (Redis: EX; memory: at most MEMORY_CAP, oldest out first). */
export const SESSION_TTL_SECONDS = 1800;
const MEMORY_CAP = 20_000;
const MAX_ITEMS = 50;

export class MemorySessions implements SessionStore {
  private readonly carts = new Map<string, CartItem[]>();
  async load(sid: string): Promise<CartItem[] | null> {
    return this.carts.get(sid) ?? null;
  }
  async save(sid: string, items: CartItem[]): Promise<void> {
    this.carts.delete(sid);
    this.carts.set(sid, items);
    if (this.carts.size > MEMORY_CAP) this.carts.delete(this.carts.keys().next().value!);
  }
}

export class RedisSessions implements SessionStore {
  constructor(private readonly cache: Pick<CachePort, 'get' | 'set'>) {}
  async load(sid: string): Promise<CartItem[] | null> {
    const r = await this.cache.get(`session:${sid}`);
    if (r.result === 'BYPASS') throw new HttpError(503, 'the session store (Redis) is not reachable');
    return r.value === undefined ? null : (JSON.parse(r.value) as CartItem[]);
  }
  async save(sid: string, items: CartItem[]): Promise<void> {
    await this.cache.set(`session:${sid}`, JSON.stringify(items), SESSION_TTL_SECONDS);
  }
}

/** The session id of a request's cookie, when it carries a well-formed one. */
export function sessionIdOf(cookie: string | undefined): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([0-9a-f]{24})(?:;|$)`).exec(cookie ?? '');
  return m?.[1];
}

export interface CartReply {
  state: SessionState;
  sid: string;
  items: CartItem[];
}

/** Reads the request's cart (and adds an item to it when asked). A request without a session
 *  gets a new one; one whose session this store does not know gets a new one too, as web
 *  frameworks do, so a cart another instance holds is never mistaken for this one. */
export async function cart(store: SessionStore, cookie: string | undefined, add?: CartItem): Promise<CartReply> {
  const given = sessionIdOf(cookie);
  const found = given ? await store.load(given) : null;
  const state: SessionState = !given ? 'new' : found ? 'found' : 'lost';
  const sid = found ? given! : randomBytes(12).toString('hex');
  let items = found ?? [];
  if (add) {
    const same = items.find((i) => i.productId === add.productId);
    items = same
      ? items.map((i) => (i === same ? { ...i, quantity: Math.min(100, i.quantity + add.quantity) } : i))
      : [...items, add].slice(-MAX_ITEMS);
  }
  if (add || state !== 'found') await store.save(sid, items);
  return { state, sid, items };
}
