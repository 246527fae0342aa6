// How the renderer reaches the Lab: Electron's preload bridge (window.lab) when present, else a
// WebSocket to the bridge that served this page (same origin; the bridge's cookie authenticates it).
import type { LabMethod } from '../contract/lab-api.js';
import { createClient, type LabClient } from '../rpc/client.js';
import type { RpcMessage, Transport } from '../rpc/protocol.js';

/** What the Electron preload exposes: the raw message channel, nothing else. */
export interface PreloadLab {
  send(message: unknown): void;
  onMessage(fn: (message: unknown) => void): () => void;
  methods: readonly LabMethod[];
}

declare global {
  interface Window {
    lab?: PreloadLab;
  }
}

function webSocketTransport(ws: WebSocket): Transport {
  return {
    send: (m: RpcMessage) => ws.send(JSON.stringify(m)),
    onMessage: (handler) => {
      const h = (e: MessageEvent) => {
        try {
          handler(JSON.parse(String(e.data)));
        } catch {
          /* not JSON: not ours */
        }
      };
      ws.addEventListener('message', h);
      return () => ws.removeEventListener('message', h);
    },
  };
}

export async function connectToLab(onClose: () => void): Promise<LabClient> {
  if (window.lab)
    return createClient({ send: (m) => window.lab!.send(m), onMessage: (fn) => window.lab!.onMessage(fn) });
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener(
      'error',
      () => reject(new Error(`cannot reach the lab at ${url}: is \`npm start\` still running?`)),
      { once: true },
    );
  });
  const client = createClient(webSocketTransport(ws));
  ws.addEventListener('close', () => {
    client.close();
    onClose();
  });
  return client;
}
