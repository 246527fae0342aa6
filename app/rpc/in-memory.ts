// Two transports wired to each other in one process: a host and a client with no IPC or network
// (renderer unit tests, and any test of the whole path). Messages go through a JSON round trip,
// as they would on a wire, so nothing that could not cross one slips through.
import type { RpcMessage, Transport } from './protocol.js';

export function createInMemoryPair(): { host: Transport; client: Transport } {
  const handlers = { host: new Set<(m: unknown) => void>(), client: new Set<(m: unknown) => void>() };
  const make = (self: 'host' | 'client', peer: 'host' | 'client'): Transport => ({
    send: (m: RpcMessage) => {
      const wire = JSON.stringify(m);
      queueMicrotask(() => handlers[peer].forEach((h) => h(JSON.parse(wire))));
    },
    onMessage: (h) => {
      handlers[self].add(h);
      return () => handlers[self].delete(h);
    },
  });
  return { host: make('host', 'client'), client: make('client', 'host') };
}
