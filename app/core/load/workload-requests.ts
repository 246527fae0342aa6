// What request an arrival of a workload makes (pure): the endpoint drawn by weight, the key,
// and the HTTP call for them; and the Server-Timing header read back.
import type { Workload } from './workload-schema.js';

export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Sent to the edge cache rather than the entry. */
  edge?: boolean;
}

export function weightedPicker(mix: Workload['mix'], random = Math.random): () => string {
  const entries = Object.entries(mix).filter(([, w]) => (w ?? 0) > 0) as Array<[string, number]>;
  const total = entries.reduce((s, [, w]) => s + w, 0);
  return () => {
    let u = random() * total;
    for (const [name, w] of entries) {
      if ((u -= w) < 0) return name;
    }
    return entries[entries.length - 1][0];
  };
}

export function callFor(endpoint: string, k: number, slowMs: number): Call {
  switch (endpoint) {
    case 'cheap-read':
      return { method: 'GET', path: `/products/${k}` };
    case 'expensive-read':
      return { method: 'GET', path: `/categories/${1 + (k % 20)}/top` };
    case 'list':
      return { method: 'GET', path: `/products?page=${1 + (k % 50)}&size=20` };
    case 'static':
      return { method: 'GET', path: k % 5 === 0 ? '/static/app.js' : `/static/img/${1 + (k % 20)}.svg`, edge: true };
    case 'slow':
      return { method: 'GET', path: `/slow?ms=${slowMs}` };
    case 'cpu':
      return { method: 'GET', path: '/hash?iterations=20000' };
    case 'cart-add':
      return { method: 'POST', path: '/cart/items', body: JSON.stringify({ productId: k, quantity: 1 }) };
    case 'cart-read':
      return { method: 'GET', path: '/cart' };
    case 'edge-read':
      return { method: 'GET', path: `/products/${k}`, edge: true };
    case 'page-read':
    case 'scan-read':
      return { method: 'GET', path: `/products/${k}/page` };
    case 'price-read':
      return { method: 'GET', path: `/products/${k}` };
    case 'price-update':
      // A new price each time (cents drawn from 1,000,000): a read showing an older one is stale.
      return { method: 'PUT', path: `/products/${k}`, body: JSON.stringify({ price: newPrice() }) };
    default:
      return { method: 'POST', path: '/orders', body: JSON.stringify({ productId: k, quantity: 1 + (k % 3) }) };
  }
}

/** The n-th key of a scan (scan-read): ids past the workload's key space, nine times as many, in
 *  order, again from the start once through. Pages the other reads never ask: one-off keys. */
export const scanKeyAt = (n: number, keySpace: number) => keySpace + 1 + (n % (9 * keySpace));

/** A price from 10.00 to 9,999.99, drawn: two writes of one product almost never share one. */
export const newPrice = (random = Math.random) => Math.round(1000 + random() * 998_999) / 100;

export function parseServerTiming(header: string | undefined): Record<string, number> | undefined {
  if (!header) return undefined;
  const out: Record<string, number> = {};
  for (const part of header.split(',')) {
    const m = /^\s*([\w-]+)\s*;(?:.*?;)?\s*dur=([\d.]+)/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return Object.keys(out).length ? out : undefined;
}
