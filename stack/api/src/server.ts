// The demo API service of the ScaleLab stack. Bundled to one file (stack/api/build.ts) and
// run by Debian's node in the api role image. Configuration comes from the environment at
// start; the live switches (cache, routing) change through the token-protected /admin/config.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { API_HEADERS, apiConfigSchema, type ApiConfig } from './admin-config.js';
import { Cache } from './cache.js';
import { Database } from './db.js';
import { createHandlers, HttpError, type Ctx, type Reply } from './handlers.js';
import { createMetrics } from './metrics.js';
import { seed } from './seed.js';
import { buildStaticFiles } from './static-files.js';
import { Timing } from './timing.js';

const env = process.env;
const instance = env.INSTANCE_NAME ?? 'api';
const log = (msg: string) => console.log(`${new Date().toISOString()} ${instance} ${msg}`);

let config: ApiConfig = apiConfigSchema.parse(JSON.parse(env.SCALELAB_CONFIG ?? 'null'));
const adminToken = Buffer.from(env.ADMIN_TOKEN ?? '');
if (adminToken.length < 16) throw new Error('ADMIN_TOKEN must be set (16+ characters)');

const metrics = createMetrics(instance);
const db = new Database(
  {
    host: env.DB_PRIMARY ?? 'db-primary',
    user: env.DB_USER ?? 'scalelab',
    password: env.DB_PASSWORD ?? '',
    database: env.DB_NAME ?? 'scalelab',
  },
  metrics,
);
db.setReplicas(config.database.replicas);
const cache = new Cache(env.REDIS_HOST ?? 'cache', metrics);
const handlers = createHandlers({ db, cache, metrics, config: () => config });
const staticFiles = buildStaticFiles();

let ready = false;
let stallUntil = 0;
let shuttingDown = false;

function intParam(value: string | null | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (value == null || value === '') {
    if (fallback !== undefined) return fallback;
    throw new HttpError(400, `${name} is required`);
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new HttpError(400, `${name} must be an integer in ${min}..${max}`);
  return n;
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
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

function isAdmin(req: http.IncomingMessage): boolean {
  const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  return given.length === adminToken.length && timingSafeEqual(given, adminToken);
}

function lastWriteOf(req: http.IncomingMessage): number | undefined {
  const m = /(?:^|;\s*)lw=(\d+)/.exec(req.headers.cookie ?? '');
  return m ? Number(m[1]) : undefined;
}

async function route(req: http.IncomingMessage, url: URL, ctx: Ctx): Promise<{ name: string; reply: Reply }> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  let m: RegExpExecArray | null;
  if (method === 'GET' && (m = /^\/products\/(\d+)$/.exec(path)))
    return { name: 'product', reply: await handlers.product(ctx, intParam(m[1], 'id', 1, 1e9)) };
  if (method === 'GET' && path === '/products') {
    return {
      name: 'list',
      reply: await handlers.listProducts(
        ctx,
        intParam(url.searchParams.get('page'), 'page', 1, 10_000, 1),
        intParam(url.searchParams.get('size'), 'size', 1, 100, 20),
      ),
    };
  }
  if (method === 'GET' && (m = /^\/categories\/(\d+)\/top$/.exec(path)))
    return { name: 'top', reply: await handlers.topProducts(ctx, intParam(m[1], 'category', 1, 1e6)) };
  if (method === 'POST' && path === '/orders') {
    const body = (await readBody(req)) as Record<string, unknown>;
    const productId = intParam(String(body.productId ?? ''), 'productId', 1, 1e9);
    const quantity = intParam(body.quantity === undefined ? '' : String(body.quantity), 'quantity', 1, 100, 1);
    const clientId =
      typeof req.headers[API_HEADERS.clientId] === 'string'
        ? String(req.headers[API_HEADERS.clientId]).slice(0, 64)
        : undefined;
    return { name: 'write', reply: await handlers.createOrder(ctx, productId, quantity, clientId) };
  }
  if (method === 'GET' && (m = /^\/orders\/(\d+)$/.exec(path)))
    return { name: 'own-write', reply: await handlers.order(ctx, intParam(m[1], 'id', 1, 1e15)) };
  if (method === 'GET' && path === '/slow') {
    // A known server-side delay, for checking what a load generator measures.
    const ms = intParam(url.searchParams.get('ms'), 'ms', 0, 10_000, 100);
    await new Promise((r) => setTimeout(r, ms));
    return { name: 'slow', reply: { status: 200, body: { sleptMs: ms } } };
  }
  throw new HttpError(404, `no route ${method} ${path}`);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
    ...(shuttingDown ? { connection: 'close' } : {}),
  });
  res.end(text);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://api');
  const path = url.pathname;
  res.setHeader(API_HEADERS.instance, instance);

  if (path === '/healthz') {
    return send(res, ready && !shuttingDown ? 200 : 503, { instance, ready, shuttingDown });
  }
  if (path === '/metrics') {
    const text = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    return void res.end(text);
  }
  if (path.startsWith('/admin/')) {
    if (!isAdmin(req)) return send(res, 401, { error: 'admin token required' });
    if (path === '/admin/config' && req.method === 'GET') return send(res, 200, config);
    if (path === '/admin/config' && req.method === 'POST') {
      const parsed = apiConfigSchema.safeParse(await readBody(req).catch(() => null));
      if (!parsed.success)
        return send(res, 400, {
          error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        });
      config = parsed.data;
      db.setReplicas(config.database.replicas);
      const cacheReady = config.cache.enabled ? await cache.ready(3000) : true;
      log(`config applied: ${JSON.stringify(config)}${cacheReady ? '' : ' (Redis not reachable yet)'}`);
      return send(res, 200, { ...config, cacheReady });
    }
    if (path === '/admin/stall' && req.method === 'POST') {
      // Freeze request handling for a while (the whole instance stalls, as in a GC pause).
      const body = (await readBody(req)) as { ms?: unknown };
      const ms = intParam(String(body.ms ?? ''), 'ms', 0, 30_000);
      stallUntil = Date.now() + ms;
      return send(res, 200, { stallUntil });
    }
    return send(res, 404, { error: 'no such admin endpoint' });
  }

  const timing = new Timing();
  const ctx: Ctx = { timing, cache: 'BYPASS', dbNode: 'none', stale: false, lastWrite: lastWriteOf(req) };
  const wait = stallUntil - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  let routeName = 'unknown';
  let status = 500;
  try {
    const file = req.method === 'GET' ? staticFiles.get(path) : undefined;
    if (file) {
      routeName = 'static';
      status = req.headers['if-none-match'] === file.etag ? 304 : 200;
      res.writeHead(status, {
        'content-type': file.type,
        'content-length': status === 200 ? file.body.length : 0,
        'cache-control': 'public, max-age=300',
        etag: file.etag,
        [API_HEADERS.cache]: 'BYPASS',
        [API_HEADERS.dbNode]: 'none',
        'server-timing': timing.header(),
      });
      return void res.end(status === 200 ? file.body : undefined);
    }
    const { name, reply } = await route(req, url, ctx);
    routeName = name;
    status = reply.status;
    send(res, status, reply.body, { ...reply.headers, ...responseHeaders(ctx) });
  } catch (err) {
    status = err instanceof HttpError ? err.status : 503;
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof HttpError)) log(`error: ${message}`);
    send(res, status, { error: message }, responseHeaders(ctx));
  } finally {
    metrics.cacheResults.inc({ result: ctx.cache });
    metrics.httpRequests.inc({ route: routeName, status: String(status) });
    metrics.httpDuration.observe(
      { route: routeName, method: req.method ?? 'GET', status: String(status) },
      (performance.now() - timing.started) / 1000,
    );
  }
}

function responseHeaders(ctx: Ctx): Record<string, string> {
  return {
    [API_HEADERS.cache]: ctx.cache,
    [API_HEADERS.dbNode]: ctx.dbNode,
    ...(ctx.stale ? { [API_HEADERS.stale]: '1' } : {}),
    'server-timing': ctx.timing.header(),
  };
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) send(res, 500, { error: String(err) });
  });
});
server.keepAliveTimeout = 30_000;

async function start(): Promise<void> {
  const sizes = {
    products: Number(env.SEED_PRODUCTS ?? 10_000),
    orders: Number(env.SEED_ORDERS ?? 300_000),
    categories: 20,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await seed(db.primaryPool, sizes, log);
      db.warmPrimary();
      ready = true;
      // Listen only once ready: until then the balancer gets "connection refused", which it
      // retries elsewhere, instead of errors from an instance that cannot serve yet.
      server.listen(Number(env.PORT ?? 3000), () => log(`ready, listening on ${env.PORT ?? 3000}`));
      return;
    } catch (err) {
      if (attempt % 10 === 1) log(`waiting for the database (${err instanceof Error ? err.message : err})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
void start();

// Graceful stop: fail health checks at once and ask clients to close keep-alive connections,
// keep serving long enough for the load balancer to notice, then finish what is in flight.
// So scaling down while load runs loses no request.
const DRAIN_MS = Number(env.DRAIN_MS ?? 1500);
function shutdown(signal: string): void {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`${signal}: draining for ${DRAIN_MS} ms`);
  setTimeout(() => {
    server.close(() => {
      void db.close();
      cache.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  }, DRAIN_MS);
  setTimeout(() => process.exit(0), DRAIN_MS + 5000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
