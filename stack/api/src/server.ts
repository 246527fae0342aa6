// The demo API service of the ScaleLab stack. Bundled to one file (stack/api/build.ts) and run by
// Debian's node in the api role image: configuration from the environment, the server itself in
// create-server.ts, the data set seeded before it listens.
import { Cache } from './cache.js';
import { createServer } from './create-server.js';
import { Database } from './db.js';
import { createMetrics } from './metrics.js';
import { seed } from './seed.js';
import { configFromEnv } from './server-config.js';

const config = configFromEnv(process.env);
const log = (msg: string) => console.log(`${new Date().toISOString()} ${config.instance} ${msg}`);
const metrics = createMetrics(config.instance);
const db = new Database(config.db, metrics);
const cache = new Cache(config.redisHost, metrics, config.redisPassword);
const api = createServer(config, { db, cache, metrics, log });

async function start(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Each shard seeds its own share (the primary alone when not sharded): products everywhere,
      // the orders whose product it owns.
      const { hosts, count, mode } = config.switches.database.shards;
      if (hosts.length === 1) await db.withDirect((pool) => seed(pool, config.seed, log));
      else
        for (const [index, host] of hosts.entries()) {
          const shard = { index, layout: { count, mode }, orders: true };
          await db.withDirect((pool) => seed(pool, config.seed, log, shard), index === 0 ? undefined : host);
        }
      db.warmPrimary();
      await db.warmed(10_000);
      // Listen only once ready: until then the balancer gets "connection refused", which it
      // retries elsewhere, instead of errors from an instance that cannot serve yet.
      const port = await api.listen();
      log(`ready, listening on ${port}`);
      return;
    } catch (err) {
      if (attempt % 10 === 1) log(`waiting for the database (${err instanceof Error ? err.message : err})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
void start();

// Graceful stop, so scaling down while load runs loses no request (create-server.ts drain()).
let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log(`${signal}: draining for ${config.drainMs} ms`);
  void api.drain().then(async () => {
    await db.close();
    cache.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), config.drainMs + 5000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
