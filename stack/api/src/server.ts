// The demo API service of the ScaleLab stack. Bundled to one file (stack/api/build.ts) and run by
// Debian's node in the api role image: configuration from the environment, the server itself in
// create-server.ts. The process started is the instance's primary (cluster-primary.ts): it seeds
// the data set, then runs one worker per CPU the container may use; each worker serves (below).
import cluster from 'node:cluster';
import { Cache } from './cache.js';
import { runPrimary } from './cluster-primary.js';
import { workerLink } from './cluster-link.js';
import { createServer } from './create-server.js';
import { Database } from './db.js';
import { createMetrics } from './metrics.js';
import { seed } from './seed.js';
import { configFromEnv } from './server-config.js';

const config = configFromEnv(process.env);
const who = cluster.isPrimary ? config.instance : `${config.instance}/${cluster.worker?.id}`;
const log = (msg: string) => console.log(`${new Date().toISOString()} ${who} ${msg}`);

if (cluster.isPrimary) void startPrimary();
else void startWorker();

/** Seeds (each shard its own share, the primary alone when not sharded), then starts the workers. */
async function startPrimary(): Promise<void> {
  const db = new Database(config.db, createMetrics(config.instance));
  for (let attempt = 1; ; attempt++) {
    try {
      const { hosts, count, mode } = config.switches.database.shards;
      if (hosts.length === 1) await db.withDirect((pool) => seed(pool, config.seed, log));
      else
        for (const [index, host] of hosts.entries()) {
          const shard = { index, layout: { count, mode }, orders: true };
          await db.withDirect((pool) => seed(pool, config.seed, log, shard), index === 0 ? undefined : host);
        }
      break;
    } catch (err) {
      if (attempt % 10 === 1) log(`waiting for the database (${err instanceof Error ? err.message : err})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await db.close();
  runPrimary({ log, switches: config.switches, drainMs: config.drainMs });
}

async function startWorker(): Promise<void> {
  const metrics = createMetrics(config.instance);
  const db = new Database(config.db, metrics);
  const cache = new Cache(config.redisHost, metrics, config.redisPassword);
  let api: ReturnType<typeof createServer> | null = null;
  const link = workerLink(metrics.registry, async (change) => api?.apply(change));
  api = createServer(config, { db, cache, metrics, log, cluster: link, workerId: cluster.worker?.id });
  const server = api;
  db.warmPrimary();
  await db.warmed(10_000);
  // Listen only once ready: until then the balancer gets "connection refused", which it retries
  // elsewhere, instead of errors from an instance that cannot serve yet.
  const port = await server.listen();
  log(`ready, listening on ${port}`);

  // Graceful stop, so scaling down while load runs loses no request (create-server.ts drain()).
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining for ${config.drainMs} ms`);
    void server.drain().then(async () => {
      await db.close();
      cache.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), config.drainMs + 5000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
