// Browser mode's host: serves the built renderer and the Lab API over a WebSocket (/rpc), on
// 127.0.0.1 only. Every request must carry the random token (in the URL once, then in an HttpOnly
// cookie), a Host naming this very address (no DNS rebinding), and, on the WebSocket, an Origin
// of this address when a browser sends one. Anything else is refused before it reaches the Lab.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RpcMessage, Transport } from '../rpc/protocol.js';
import { serve, type Servable } from '../rpc/serve.js';

export interface BridgeOptions {
  lab: Servable;
  /** 0 = any free port. */
  port?: number;
  /** The built renderer (index.html and assets); a notice page when absent. */
  staticDir?: string | null;
  token?: string;
}

export interface Bridge {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'scalelab_token';
const MAX_MESSAGE_BYTES = 1 << 20;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request's URL, or null when it is not one (a port out of range, a bad host): never a throw. */
function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://bridge');
  } catch {
    return null;
  }
}

function decodedPath(url: URL): string | null {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  return new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
}

function wsTransport(ws: WebSocket): Transport {
  return {
    send: (m: RpcMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    },
    onMessage: (handler) => {
      const h = (data: Buffer) => {
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString('utf8'));
        } catch {
          msg = { malformed: true };
        }
        handler(msg);
      };
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
}

export async function startBridge(o: BridgeOptions): Promise<Bridge> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const csp = () =>
    [
      `default-src 'self'`,
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      `img-src 'self' data:`,
      `style-src 'self' 'unsafe-inline'`,
      `script-src 'self'`,
      `object-src 'none'`,
      `base-uri 'none'`,
      `frame-ancestors 'none'`,
    ].join('; ');

  /** null when allowed; else the status and reason to refuse with. */
  const refuse = (req: http.IncomingMessage, url: URL, ws: boolean): [number, string] | null => {
    if (!hosts().has(req.headers.host ?? '')) return [403, 'foreign Host'];
    if (ws && req.headers.origin !== undefined && !origins().has(req.headers.origin)) return [403, 'foreign Origin'];
    if (!sameToken(url.searchParams.get('token'), token) && !sameToken(cookieToken(req), token))
      return [401, 'missing or wrong token'];
    return null;
  };

  const answer = (res: http.ServerResponse, status: number, text: string) => {
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(`${text}\n`);
  };

  // Every request fails closed with an answer: nothing a client sends may take the process down
  // (and a run in progress with it).
  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      answer(res, 500, 'internal error');
    }
  });

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = requestUrl(req);
    if (!url) return answer(res, 400, 'bad request URL');
    const no = refuse(req, url, false);
    if (no) {
      res.writeHead(no[0], { 'content-type': 'text/plain' }).end(`${no[1]}: open the URL \`npm start\` printed\n`);
      return;
    }
    const headers: Record<string, string> = {
      'content-security-policy': csp(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (sameToken(url.searchParams.get('token'), token))
      headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    const root = o.staticDir && existsSync(path.join(o.staticDir, 'index.html')) ? path.resolve(o.staticDir) : null;
    if (!root) {
      res
        .writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><title>ScaleLab</title><p>The ScaleLab console is not built yet; the Lab API answers on <code>/rpc</code>.</p>',
        );
      return;
    }
    const decoded = decodedPath(url);
    if (decoded === null || decoded.includes('\0')) return answer(res, 400, 'bad path encoding');
    const file = path.resolve(root, `.${decoded}`);
    const target =
      file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()
        ? file
        : path.join(root, 'index.html');
    res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream' });
    createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req);
      const no: [number, string] | null = !url
        ? [400, 'bad request URL']
        : url.pathname !== '/rpc'
          ? [404, 'not found']
          : refuse(req, url, true);
      if (no) {
        socket.end(`HTTP/1.1 ${no[0]} ${no[1]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        // A protocol error (a message over the limit, a text frame that is not UTF-8) closes this
        // socket with its close code; with no listener it would throw in the process.
        ws.on('error', () => ws.terminate());
        const stop = serve(o.lab, wsTransport(ws));
        ws.on('close', stop);
      });
    } catch {
      socket.destroy();
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The client side for Node (tests, scripts): a Transport over a WebSocket to a bridge. */
export function wsClientTransport(ws: WebSocket): Transport {
  return wsTransport(ws);
}
