// The built-in engine's virtual users against a real HTTP server on 127.0.0.1 that keeps a session
// per cookie: with `clients`, each user keeps its cookie jar (one new session each, then found);
// without, every arrival is a new client.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadWindow } from '../../contract/load.js';
import { BuiltinEngine } from './builtin-engine.js';
import { parseWorkload } from './workload-schema.js';

let server: http.Server;
let base: string;
const known = new Set<string>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const sid = /(?:^|; )sid=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const found = sid !== undefined && known.has(sid);
    const headers: Record<string, string> = { 'x-instance': 'stub-1', 'x-session': found ? 'found' : 'new' };
    if (!found) {
      const id = randomUUID();
      known.add(id);
      headers['set-cookie'] = `sid=${id}; Path=/; Max-Age=1800; HttpOnly`;
    }
    res.writeHead(req.url === '/cart/items' ? 201 : 200, headers);
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

async function run(clients?: number) {
  const windows: LoadWindow[] = [];
  await new BuiltinEngine().run({
    workload: parseWorkload({
      name: 'carts',
      mix: { 'cart-add': 1, 'cart-read': 1 },
      rate: { kind: 'constant', rate: 40, durationSeconds: 2 },
      ...(clients ? { clients } : {}),
    }),
    target: { baseUrl: base },
    onWindow: (w) => windows.push(w),
  });
  const count = (state: string) => windows.reduce((s, w) => s + (w.bySession?.[state] ?? 0), 0);
  return { fresh: count('new'), found: count('found') };
}

describe('built-in engine: virtual users with a cookie jar each', () => {
  it('keeps one session per user across its requests', async () => {
    const { fresh, found } = await run(4);
    // Users are drawn at random: one may send again before its first answer came back (a second
    // new session), but each starts at least one, and after that its cookie finds it.
    expect(fresh).toBeGreaterThanOrEqual(4);
    expect(fresh).toBeLessThanOrEqual(12);
    expect(found).toBeGreaterThanOrEqual(60);
  });

  it('without clients, every arrival is a new client', async () => {
    const { fresh, found } = await run();
    expect(found).toBe(0);
    expect(fresh).toBeGreaterThanOrEqual(75);
  });
});
