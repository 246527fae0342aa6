// The built-in engine on several threads: each sends an interleaved share of the arrivals
// (builtin-worker.ts), this thread merges their seconds into one aggregator, exactly.
import { Worker } from 'node:worker_threads';
import { importInThread } from '../tsx-threads.js';
import type { BuiltinEngineOptions, ShareMessage } from './builtin-engine.js';
import { summarize } from './latency-histogram.js';
import type { LoadResult, LoadRunOptions } from './load-engine.js';
import { replayBatch } from './sample-batch.js';
import { evaluateThresholds } from './thresholds.js';
import { thresholdMetrics, WindowAggregator } from './window-aggregator.js';
import { targetRateAt } from './workload-schema.js';

/** What the threads need of the engine that started them. */
export interface ThreadHost {
  options: BuiltinEngineOptions;
  rateOverride(): number | null;
  stopped(): boolean;
  /** The threads running now, so the engine can pass on rate changes and stop. */
  setThreads(threads: Worker[]): void;
}

const hrNow = () => performance.timeOrigin + performance.now();

/** Several threads each send an interleaved share of the arrivals; this thread merges their seconds. */
export async function runThreads(
  host: ThreadHost,
  { workload, target, onWindow }: LoadRunOptions,
  n: number,
): Promise<LoadResult> {
  const agg = new WindowAggregator();
  const ts = import.meta.url.endsWith('.ts');
  const file = new URL(ts ? './builtin-worker.ts' : './builtin-worker.js', import.meta.url);
  // From source (tsx, vitest) the thread registers tsx itself before loading the TypeScript module.
  const boot = ts ? importInThread(file.href) : null;
  const gens = new Array<{ lateMsMax: number; inFlight: number; waitingMax: number }>(n).fill({
    lateMsMax: 0,
    inFlight: 0,
    waitingMax: 0,
  });
  const done: Array<Promise<boolean>> = [];
  const ready: Array<Promise<void>> = [];
  const threads = Array.from({ length: n }, (_, index) => {
    const workerData = { workload, target, options: { ...host.options, workers: 1 }, index, of: n };
    const w = boot ? new Worker(boot, { eval: true, workerData }) : new Worker(file, { workerData });
    let isReady: () => void;
    ready.push(
      new Promise((r) => {
        isReady = r;
      }),
    );
    done.push(
      new Promise((resolve, reject) => {
        w.on('message', (m: ShareMessage) => {
          if (m.type === 'ready') isReady();
          else if (m.type === 'tick') {
            replayBatch(m.batch, agg);
            gens[index] = m.gen;
          } else resolve(m.stoppedEarly);
        });
        w.once('error', reject);
        w.once('exit', (code) =>
          code === 0 ? resolve(host.stopped()) : reject(new Error(`load thread ${index} exited with code ${code}`)),
        );
      }),
    );
    return w;
  });
  host.setThreads(threads);
  // Every thread loaded, then one schedule for all: the run starts now, not when each thread booted.
  await Promise.race([Promise.all(ready), Promise.all(done)]);
  const startAt = hrNow() + 50;
  for (const w of threads) w.postMessage({ type: 'start', at: startAt });
  let cpuPrev = process.cpuUsage();
  let cpuAt = hrNow();
  const flush = (before: number) => {
    const cpu = process.cpuUsage(cpuPrev);
    const now = hrNow();
    const cpuPercent = (((cpu.user + cpu.system) / 1000 / Math.max(1, now - cpuAt)) * 100) / n; // per thread
    cpuPrev = process.cpuUsage();
    cpuAt = now;
    const gen = {
      lateMsMax: Math.max(...gens.map((g) => g.lateMsMax)),
      inFlight: gens.reduce((s2, g) => s2 + g.inFlight, 0),
      waitingMax: gens.reduce((s2, g) => s2 + g.waitingMax, 0),
      cpuPercent,
    };
    const rate = host.rateOverride() ?? targetRateAt(workload, (now - startAt) / 1000);
    for (const w of agg.flush(before, Math.round(rate * 100) / 100, gen)) onWindow(w);
  };
  // Seconds close a little late here: every thread's share of a second must have arrived.
  const ticker = setInterval(() => flush(hrNow() - 600), 250);
  let stoppedEarly = false;
  try {
    stoppedEarly = (await Promise.all(done)).some(Boolean);
  } finally {
    clearInterval(ticker);
    flush(Number.POSITIVE_INFINITY);
    await Promise.allSettled(threads.map((w) => w.terminate()));
    host.setThreads([]);
  }
  const endedAt = hrNow();
  const seconds = Math.max(0.001, (endedAt - startAt) / 1000);
  return {
    engine: 'builtin',
    startedAt: Math.round(startAt),
    endedAt: Math.round(endedAt),
    totals: { ...agg.totals },
    failuresByReason: { ...agg.failuresByReason },
    latency: summarize(agg.total),
    thresholds: evaluateThresholds(workload.thresholds, thresholdMetrics(agg, seconds)),
    stoppedEarly,
  };
}
