// A worker's side of the instance's cluster: asks the primary to apply a change on every worker
// (and applies what the primary relays), and to sum the workers' metrics.
import client from 'prom-client';
import type { FromWorker, InstanceChange, ToWorker } from './cluster-messages.js';

const ASK_TIMEOUT_MS = 12_000;

export interface ClusterLink {
  /** Applies a change on every worker of the instance, this one included; resolves once all have. */
  everywhere(change: InstanceChange): Promise<void>;
  /** The instance's metrics in Prometheus' text format, summed over its workers. */
  metrics(): Promise<string>;
}

/** `apply` applies a change on this worker (the primary relays every one, this worker's too). */
export function workerLink(registry: client.Registry, apply: (change: InstanceChange) => Promise<void>): ClusterLink {
  // prom-client answers the primary's requests for this worker's figures from this registry.
  new client.AggregatorRegistry();
  client.AggregatorRegistry.setRegistries([registry]);
  const waiting = new Map<number, (m: Extract<ToWorker, { type: 'reply' }>) => void>();
  let next = 0;
  const send = (m: FromWorker) => process.send?.(m);
  process.on('message', (m: ToWorker) => {
    if (m?.type === 'apply') void apply(m.change).finally(() => send({ type: 'applied', key: m.key }));
    else if (m?.type === 'reply') waiting.get(m.id)?.(m);
  });
  const ask = (m: { type: 'everywhere'; change: InstanceChange } | { type: 'metrics' }) =>
    new Promise<Extract<ToWorker, { type: 'reply' }>>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the instance's primary did not answer ${m.type} within ${ASK_TIMEOUT_MS} ms`));
      }, ASK_TIMEOUT_MS);
      waiting.set(id, (r) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(r);
      });
      send({ ...m, id } as FromWorker);
    });
  return {
    everywhere: async (change) => void (await ask({ type: 'everywhere', change })),
    metrics: async () => {
      const r = await ask({ type: 'metrics' });
      if (r.error !== undefined || r.text === undefined) throw new Error(r.error ?? 'no metrics');
      return r.text;
    },
  };
}
