// The preload: exposes window.lab = { send, onMessage, methods } and nothing else. A message is
// passed to the main process only if it is a request for a method of the contract.
import { contextBridge, ipcRenderer } from 'electron';
import { LAB_METHODS } from '../contract/lab-api.js';
import { RPC_CHANNEL } from '../main/ipc-channel.js';

const allowed = new Set<string>(LAB_METHODS);

contextBridge.exposeInMainWorld('lab', {
  methods: LAB_METHODS,
  send(message: unknown): void {
    const m = message as { kind?: unknown; method?: unknown };
    if (m?.kind !== 'request' || typeof m.method !== 'string' || !allowed.has(m.method))
      throw new Error(`not a Lab request: ${String(m?.method)}`);
    ipcRenderer.send(RPC_CHANNEL, message);
  },
  onMessage(fn: (message: unknown) => void): () => void {
    const h = (_e: unknown, message: unknown) => fn(message);
    ipcRenderer.on(RPC_CHANNEL, h);
    return () => ipcRenderer.off(RPC_CHANNEL, h);
  },
});
