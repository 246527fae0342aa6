// One load thread of the built-in engine: sends its share of the arrivals and posts each closed
// second, histograms encoded, to the thread that merges (BuiltinEngine.runThreads).
import { parentPort, workerData } from 'node:worker_threads';
import { BuiltinEngine, type BuiltinEngineOptions, type ShareMessage } from './builtin-engine.js';
import type { LoadTarget } from './load-engine.js';
import type { Workload } from './workload-schema.js';

const data = workerData as {
  workload: Workload;
  target: LoadTarget;
  options: BuiltinEngineOptions;
  index: number;
  of: number;
};
const engine = new BuiltinEngine(data.options);
const port = parentPort!;
let start: (at: number) => void;
const startAt = new Promise<number>((r) => {
  start = r;
});
port.on('message', (m: { type: 'stop' } | { type: 'rate'; rate: number | null } | { type: 'start'; at: number }) => {
  if (m.type === 'start') start(m.at);
  else if (m.type === 'stop') engine.stop();
  else engine.setRate(m.rate);
});
port.postMessage({ type: 'ready' } satisfies ShareMessage);
const result = await engine.runShare(
  { workload: data.workload, target: data.target, onWindow: () => undefined },
  {
    index: data.index,
    of: data.of,
    startAt: await startAt,
    post: (m: ShareMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer),
  },
);
port.postMessage({ type: 'done', stoppedEarly: result.stoppedEarly } satisfies ShareMessage);
port.close();
