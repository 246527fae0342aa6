// Which handler a request goes to, with its parameters checked: a bad id is a 400, never a query.
import { pbkdf2Sync } from 'node:crypto';
import type http from 'node:http';
import { API_HEADERS } from './admin-config.js';
import { HttpError, type Ctx, type Reply, type createHandlers } from './handlers.js';

type Handlers = ReturnType<typeof createHandlers>;

export function intParam(
  value: string | null | undefined,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number {
  if (value == null || value === '') {
    if (fallback !== undefined) return fallback;
    throw new HttpError(400, `${name} is required`);
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpError(400, `${name} must be an integer in ${min}..${max}`);
  return n;
}

export async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

export async function route(
  handlers: Handlers,
  req: http.IncomingMessage,
  url: URL,
  ctx: Ctx,
): Promise<{ name: string; reply: Reply }> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  let m: RegExpExecArray | null;
  if (method === 'GET' && (m = /^\/products\/(\d+)$/.exec(path)))
    return { name: 'product', reply: await handlers.product(ctx, intParam(m[1], 'id', 1, 1e9)) };
  if (method === 'GET' && (m = /^\/products\/(\d+)\/page$/.exec(path)))
    return { name: 'product-page', reply: await handlers.productPage(ctx, intParam(m[1], 'id', 1, 1e9)) };
  if (method === 'PUT' && (m = /^\/products\/(\d+)$/.exec(path))) {
    const id = intParam(m[1], 'id', 1, 1e9);
    const body = (await readBody(req)) as Record<string, unknown>;
    const price = Number(body.price);
    if (typeof body.price !== 'number' || !(price > 0 && price < 1e6))
      throw new HttpError(400, 'price: a number above 0 and below 1000000');
    return { name: 'price-update', reply: await handlers.updatePrice(ctx, id, Math.round(price * 100) / 100) };
  }
  if (method === 'GET' && path === '/products') {
    const page = intParam(url.searchParams.get('page'), 'page', 1, 10_000, 1);
    const size = intParam(url.searchParams.get('size'), 'size', 1, 100, 20);
    return { name: 'list', reply: await handlers.listProducts(ctx, page, size) };
  }
  if (method === 'GET' && (m = /^\/categories\/(\d+)\/top$/.exec(path)))
    return { name: 'top', reply: await handlers.topProducts(ctx, intParam(m[1], 'category', 1, 1e6)) };
  if (method === 'POST' && path === '/orders') {
    const body = (await readBody(req)) as Record<string, unknown>;
    const productId = intParam(String(body.productId ?? ''), 'productId', 1, 1e9);
    const quantity = intParam(body.quantity === undefined ? '' : String(body.quantity), 'quantity', 1, 100, 1);
    const client = req.headers[API_HEADERS.clientId];
    const clientId = typeof client === 'string' ? client.slice(0, 64) : undefined;
    return { name: 'write', reply: await handlers.createOrder(ctx, productId, quantity, clientId) };
  }
  if (method === 'GET' && (m = /^\/orders\/(\d+)$/.exec(path)))
    return { name: 'own-write', reply: await handlers.order(ctx, intParam(m[1], 'id', 1, 1e15)) };
  if (path === '/cart' && method === 'GET') return { name: 'cart', reply: await handlers.cart(req.headers.cookie) };
  if (path === '/cart/items' && method === 'POST') {
    const body = (await readBody(req)) as Record<string, unknown>;
    const productId = intParam(String(body.productId ?? ''), 'productId', 1, 1e9);
    const quantity = intParam(body.quantity === undefined ? '' : String(body.quantity), 'quantity', 1, 100, 1);
    return { name: 'cart-add', reply: await handlers.cart(req.headers.cookie, { productId, quantity }) };
  }
  if (method === 'GET' && path === '/hash') {
    // Pure CPU, what a login costs: a password hashed with PBKDF2-SHA256. Synchronous on purpose:
    // it holds its worker's thread, so throughput follows the CPUs the instance has and uses.
    const iterations = intParam(url.searchParams.get('iterations'), 'iterations', 1, 200_000, 20_000);
    const hash = pbkdf2Sync(`password-${iterations}`, 'scalelab', iterations, 32, 'sha256').toString('hex');
    return { name: 'cpu', reply: { status: 200, body: { iterations, hash } } };
  }
  if (method === 'GET' && path === '/slow') {
    // A known server-side delay, for checking what a load generator measures.
    const ms = intParam(url.searchParams.get('ms'), 'ms', 0, 10_000, 100);
    await new Promise((r) => setTimeout(r, ms));
    return { name: 'slow', reply: { status: 200, body: { sleptMs: ms } } };
  }
  throw new HttpError(404, `no route ${method} ${path}`);
}
