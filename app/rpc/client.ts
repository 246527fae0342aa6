// A typed LabApi over any transport, built with a Proxy: `client.api.stack.up(req)` sends
// { method: "stack.up" } and resolves with the result, or rejects with an RpcError.
import type { LabApi, LabEvents } from '../contract/lab-api.js';
import { eventSchema, responseSchema, RpcError, type Transport } from './protocol.js';

export interface LabClient {
  api: LabApi;
  on<K extends keyof LabEvents>(event: K, fn: (payload: LabEvents[K]) => void): () => void;
  close(): void;
}

export function createClient(transport: Transport): LabClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const off = transport.onMessage((raw) => {
    const ev = eventSchema.safeParse(raw);
    if (ev.success) {
      listeners.get(ev.data.event)?.forEach((fn) => fn(ev.data.payload));
      return;
    }
    const res = responseSchema.safeParse(raw);
    if (!res.success) return; // not for us
    const p = pending.get(res.data.id);
    if (!p) return;
    pending.delete(res.data.id);
    if ('error' in res.data) p.reject(new RpcError(res.data.error));
    else p.resolve(res.data.result);
  });
  const call = (method: string, params: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      transport.send({ kind: 'request', id, method: method as never, ...(params === undefined ? {} : { params }) });
    });
  const section = (name: string) =>
    new Proxy({}, { get: (_t, m) => (params?: unknown) => call(`${name}.${String(m)}`, params) });
  const api = new Proxy({}, { get: (_t, s) => section(String(s)) }) as LabApi;
  return {
    api,
    on(event, fn) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(fn as (p: unknown) => void);
      return () => set.delete(fn as (p: unknown) => void);
    },
    close() {
      off();
      for (const p of pending.values())
        p.reject(
          new RpcError({ name: 'Disconnected', code: 'DISCONNECTED', message: 'the connection to the lab closed' }),
        );
      pending.clear();
    },
  };
}
