// The demo API as a value: createServer(config, deps) holds every piece of state (the live
// switches, readiness, a stall, draining) in its closure, so it can be started, tested and
// stopped without touching the process. server.ts wires it to the environment and signals.
import { purgeEdge } from './edge-purge.js';
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { API_HEADERS, apiConfigSchema, type ApiConfig } from './admin-config.js';
import { createHandlers, HttpError, type CachePort, type Ctx, type DatabasePort } from './handlers.js';
import type { Metrics } from './metrics.js';
import { intParam, readBody, route } from './router.js';
import type { ServerConfig } from './server-config.js';
import { buildStaticFiles } from './static-files.js';
import { MemorySessions, RedisSessions } from './sessions.js';
import { checkLimit, type LimiterPort } from './rate-limit.js';
import { Timing } from './timing.js';
import type { ClusterLink } from './cluster-link.js';
import type { InstanceChange } from './cluster-messages.js';
import { orderFlusher } from './flusher.js';
import type { WriteQueue } from './write-queue.js';

export interface ServerDeps {
  db: DatabasePort & {
    setReplicas(hosts: string[]): void;
    setPooled(pooled: boolean): void;
    setShards(hosts: string[]): void;
  };
  cache: CachePort &
    LimiterPort & { ready(timeoutMs: number): Promise<boolean>; queue: Pick<WriteQueue, 'enqueue' | 'take' | 'done'> };
  metrics: Metrics;
  log: (msg: string) => void;
  /** A worker of a clustered instance: changes go to every worker, /metrics sums them. Absent:
   *  the process is the whole instance. */
  cluster?: ClusterLink;
  /** This worker's number in its instance (the x-worker header), when clustered. */
  workerId?: number;
}

export interface ApiServer {
  server: http.Server;
  /** Starts serving: until then /healthz is not reachable at all (the balancer retries elsewhere). */
  listen(port?: number): Promise<number>;
  /** Graceful stop: fail health checks, ask clients to close keep-alive connections, keep serving
   *  for drainMs so the balancer notices, then finish what is in flight. Resolves when closed. */
  drain(): Promise<void>;
  switches(): ApiConfig;
  /** Applies a change on this process (a clustered instance's primary relays each to every worker). */
  apply(change: InstanceChange): Promise<void>;
}

export function createServer(config: ServerConfig, deps: ServerDeps): ApiServer {
  const { db, cache, metrics, log } = deps;
  const adminToken = Buffer.from(config.adminToken);
  let switches = config.switches;
  let stallUntil = 0;
  /** Until then every response closes its connection (a worker joined the instance). */
  let spreadUntil = 0;
  let shuttingDown = false;
  db.setPooled(switches.database.pooled);
  db.setReplicas(switches.database.replicas);
  db.setShards(switches.database.shards.hosts);
  /** A change on this process: every worker of a clustered instance runs this for each. */
  async function apply(change: InstanceChange): Promise<void> {
    if (change.kind === 'stall') {
      stallUntil = change.until;
      return;
    }
    if (change.kind === 'spread') {
      spreadUntil = change.until;
      return;
    }
    switches = change.config;
    db.setPooled(switches.database.pooled);
    db.setReplicas(switches.database.replicas);
    db.setShards(switches.database.shards.hosts);
  }
  const everywhere = (change: InstanceChange) => (deps.cluster ? deps.cluster.everywhere(change) : apply(change));

  const stores = { memory: new MemorySessions(), redis: new RedisSessions(cache) };
  const handlers = createHandlers({
    db,
    cache,
    metrics,
    config: () => switches,
    products: config.seed.products,
    sessions: () => stores[switches.sessions],
    purgeEdge: (path) => purgeEdge(path, config.adminToken),
  });
  const staticFiles = buildStaticFiles();
  const flusher = orderFlusher({
    db,
    cache,
    metrics,
    switches: () => switches,
    products: config.seed.products,
    consumer: `${config.instance}-${deps.workerId ?? 0}`,
  });

  const isAdmin = (req: http.IncomingMessage) => {
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    return given.length === adminToken.length && timingSafeEqual(given, adminToken);
  };
  const lastWriteOf = (req: http.IncomingMessage) => {
    const m = /(?:^|;\s*)lw=(\d+)/.exec(req.headers.cookie ?? '');
    return m ? Number(m[1]) : undefined;
  };

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

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    if (!isAdmin(req)) return send(res, 401, { error: 'admin token required' });
    if (path === '/admin/config' && req.method === 'GET') return send(res, 200, switches);
    if (path === '/admin/config' && req.method === 'POST') {
      const parsed = apiConfigSchema.safeParse(await readBody(req).catch(() => null));
      if (!parsed.success) {
        return send(res, 400, {
          error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        });
      }
      await everywhere({ kind: 'config', config: parsed.data });
      const cacheReady = switches.cache.enabled ? await cache.ready(3000) : true;
      log(`config applied: ${JSON.stringify(switches)}${cacheReady ? '' : ' (Redis not reachable yet)'}`);
      return send(res, 200, { ...switches, cacheReady });
    }
    if (path === '/admin/stall' && req.method === 'POST') {
      // Freeze request handling for a while (the whole instance stalls, as in a GC pause).
      const body = (await readBody(req)) as { ms?: unknown };
      const until = Date.now() + intParam(String(body.ms ?? ''), 'ms', 0, 30_000);
      await everywhere({ kind: 'stall', until });
      return send(res, 200, { stallUntil: until });
    }
    return send(res, 404, { error: 'no such admin endpoint' });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://api');
    const path = url.pathname;
    res.setHeader(API_HEADERS.instance, config.instance);
    res.setHeader(API_HEADERS.version, config.version.name);
    if (Date.now() < spreadUntil) res.setHeader('connection', 'close');
    if (deps.workerId !== undefined) res.setHeader(API_HEADERS.worker, String(deps.workerId));
    if (path === '/healthz') return send(res, shuttingDown ? 503 : 200, { instance: config.instance, shuttingDown });
    if (path === '/metrics') {
      const text = deps.cluster ? await deps.cluster.metrics() : await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      return void res.end(text);
    }
    if (path.startsWith('/admin/')) return admin(req, res, path);

    const timing = new Timing();
    const ctx: Ctx = { timing, cache: 'BYPASS', dbNode: 'none', stale: false, lastWrite: lastWriteOf(req) };
    if (switches.distanceMs > 0) {
      // No netem on this kernel: the distance is waited here, once per response, as a round trip
      // to far users would cost. An edge hit never reaches this: the edge is near its users.
      const started = performance.now();
      await new Promise((r) => setTimeout(r, switches.distanceMs));
      timing.origin = performance.now() - started;
    }
    if (config.version.latencyMs > 0) {
      // A version built with a regression: slower, by design (the canary lesson).
      await new Promise((r) => setTimeout(r, config.version.latencyMs));
    }
    if (config.version.errorRate > 0 && Math.random() < config.version.errorRate) {
      metrics.httpRequests.inc({ route: 'regression', status: '500' });
      return send(res, 500, { error: `a regression built into version ${config.version.name}` }, responseHeaders(ctx));
    }
    const limit = switches.rateLimit;
    if (limit.enabled) {
      // Every instance counts the same client in the same Redis key: the limit is the stack's.
      const given = req.headers[limit.header];
      const d = await checkLimit(cache, limit, typeof given === 'string' ? given : undefined);
      const headers = {
        'x-ratelimit-limit': String(d.limit),
        'x-ratelimit-remaining': String(d.remaining),
      };
      if (!d.allowed) {
        metrics.httpRequests.inc({ route: 'rate-limited', status: '429' });
        return send(
          res,
          429,
          { error: `client over its limit of ${d.limit} requests per ${limit.windowSeconds} s (${limit.algorithm})` },
          { ...headers, 'retry-after': String(d.retryAfter), [API_HEADERS.rateLimited]: limit.algorithm },
        );
      }
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    }
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
      const { name, reply } = await route(handlers, req, url, ctx);
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

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
    });
  });
  server.keepAliveTimeout = 30_000;

  return {
    server,
    apply,
    switches: () => switches,
    listen: (port = config.port) =>
      new Promise((resolve) =>
        server.listen(port, () => {
          flusher.start();
          resolve((server.address() as { port: number }).port);
        }),
      ),
    drain: () => {
      if (shuttingDown) return Promise.resolve();
      shuttingDown = true;
      return new Promise((resolve) => {
        setTimeout(() => {
          // What this worker still holds of the write queue goes in before it exits.
          flusher.stop();
          server.close(() => void flusher.tick().finally(() => resolve()));
          server.closeIdleConnections();
        }, config.drainMs);
      });
    },
  };
}

function responseHeaders(ctx: Ctx): Record<string, string> {
  return {
    [API_HEADERS.cache]: ctx.cache,
    [API_HEADERS.dbNode]: ctx.dbNode,
    ...(ctx.stale ? { [API_HEADERS.stale]: '1' } : {}),
    'server-timing': ctx.timing.header(),
  };
}
