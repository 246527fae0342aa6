// The instance's primary process (Node's cluster module): it seeds the data, then runs one worker
// per CPU the container may use, and more when `docker update --cpus` raises the limit (so
// api.cpus moves the throughput knee of CPU-bound work). Workers are kept when the limit falls:
// they share the smaller quota, and their counters stay in the instance's sums. The primary
// relays a change (switches, a stall) to every worker, sums the workers' metrics for /metrics
// (prom-client's AggregatorRegistry), and on SIGTERM lets every worker drain before it exits.
import cluster, { type Worker } from 'node:cluster';
import client from 'prom-client';
import type { ApiConfig } from './admin-config.js';
import { containerCpus, hostCores, workersFor } from './cpu-limit.js';
import type { FromWorker, ToWorker } from './cluster-messages.js';

const WATCH_MS = 2000;
const APPLY_TIMEOUT_MS = 10_000;
/** How long the other workers close their connections after a worker joins. */
const SPREAD_MS = 1000;

export interface PrimaryOptions {
  log: (msg: string) => void;
  /** The switches new workers start with: the latest a worker relayed, else the environment's. */
  switches: ApiConfig;
  drainMs: number;
}

export function runPrimary(o: PrimaryOptions): void {
  const aggregator = new client.AggregatorRegistry();
  let switches = o.switches;
  let stopping = false;
  /** Changes being applied: worker id and request id of who asked, and who has not answered. */
  const pending = new Map<string, { from: Worker; id: number; waiting: Set<number>; timer: NodeJS.Timeout }>();

  const workers = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.isConnected());
  const reply = (w: Worker, msg: ToWorker) => {
    if (w.isConnected()) w.send(msg);
  };
  const fork = () => cluster.fork({ SCALELAB_CONFIG: JSON.stringify(switches) });
  const finish = (key: string) => {
    const p = pending.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    pending.delete(key);
    reply(p.from, { type: 'reply', id: p.id });
  };

  cluster.on('message', (worker: Worker, msg: FromWorker) => {
    if (msg?.type === 'everywhere') {
      if (msg.change.kind === 'config') switches = msg.change.config;
      const key = `${worker.id}:${msg.id}`;
      const all = workers();
      pending.set(key, {
        from: worker,
        id: msg.id,
        waiting: new Set(all.map((w) => w.id)),
        timer: setTimeout(() => finish(key), APPLY_TIMEOUT_MS),
      });
      for (const w of all) reply(w, { type: 'apply', key, change: msg.change });
    } else if (msg?.type === 'applied') {
      const p = pending.get(msg.key);
      p?.waiting.delete(worker.id);
      if (p && p.waiting.size === 0) finish(msg.key);
    } else if (msg?.type === 'metrics') {
      aggregator.clusterMetrics().then(
        (text) => reply(worker, { type: 'reply', id: msg.id, text }),
        (err: Error) => reply(worker, { type: 'reply', id: msg.id, error: err.message }),
      );
    }
  });

  // A worker that died is replaced (the instance keeps its size); one leaving on SIGTERM is not.
  cluster.on('exit', (worker, code, signal) => {
    for (const [key, p] of pending) if (p.waiting.delete(worker.id) && p.waiting.size === 0) finish(key);
    if (stopping) {
      if (workers().length === 0 && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // After a pause: a worker that cannot start must not make the primary fork in a tight loop.
    o.log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another in 1 s`);
    setTimeout(() => {
      if (!stopping) fork();
    }, 1000);
  });

  // A worker joined a running instance: the others ask their clients to reconnect, and the
  // primary hands the new connections round robin, the new worker's turn included.
  let spreads = 0;
  cluster.on('listening', (joined) => {
    const others = workers().filter((w) => w.id !== joined.id);
    const change = { kind: 'spread' as const, until: Date.now() + SPREAD_MS };
    for (const w of others) reply(w, { type: 'apply', key: `spread-${++spreads}`, change });
  });

  const scale = () => {
    if (stopping) return;
    const cpus = containerCpus();
    const want = workersFor(cpus, hostCores());
    const have = Object.keys(cluster.workers ?? {}).length;
    for (let i = have; i < want; i++) fork();
    if (want > have) o.log(`CPU limit ${cpus ?? 'none'}: ${want} worker${want > 1 ? 's' : ''}`);
  };
  scale();
  setInterval(scale, WATCH_MS).unref();

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    o.log(`${signal}: draining ${workers().length} worker(s) for ${o.drainMs} ms`);
    for (const w of workers()) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(0), o.drainMs + 5000).unref();
    if (workers().length === 0) process.exit(0);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
