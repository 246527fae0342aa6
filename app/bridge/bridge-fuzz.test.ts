// The bridge under hostile input over real sockets on 127.0.0.1: malformed request lines, URLs
// and percent-encodings, garbage bytes, oversized and invalid WebSocket frames, with and without
// the token. Each must get an error answer (or a closed socket), and the process must still serve
// the console and the Lab API afterwards: one request must never take it down, nor a run with it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLab } from '../core/create-lab.js';
import { createClient } from '../rpc/client.js';
import { startBridge, wsClientTransport, type Bridge } from './bridge-server.js';

let bridge: Bridge;
let crashes = 0;
const onCrash = () => void crashes++;

beforeAll(async () => {
  const staticDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-fuzz-static-'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>ScaleLab</title>');
  bridge = await startBridge({
    lab: createLab({ stack: 't-fuzz', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-fuzz-')) }),
    staticDir,
  });
  process.on('uncaughtException', onCrash);
});
afterAll(async () => {
  process.off('uncaughtException', onCrash);
  await bridge.close();
});

/** Sends raw bytes, returns what came back before the server closed (or 2 s passed). */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(bridge.port, '127.0.0.1', () => s.write(bytes));
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    s.on('data', (c) => chunks.push(c));
    s.on('error', done);
    s.on('close', done);
    s.setTimeout(2000, () => s.destroy());
  });
}

const host = () => `127.0.0.1:${bridge.port}`;
const line = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: ${host()}\r\n${extra}Connection: close\r\n\r\n`;
const upgrade = (target: string) =>
  line(
    target,
    'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
  );
const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);

async function stillServes(): Promise<void> {
  const res = await fetch(`${bridge.url}`);
  expect(res.status).toBe(200);
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const client = createClient(wsClientTransport(ws));
  expect((await client.api.stack.presets()).length).toBeGreaterThan(0);
  ws.close();
}

describe('the bridge under hostile input', () => {
  it('answers malformed URLs and encodings with an error, with or without the token', async () => {
    const t = `token=${bridge.token}`;
    const cases: Array<[string, number]> = [
      [line('http://a:99999/'), 400],
      [line(`http://a:99999/?${t}`), 400],
      [line('http://[::1/'), 400],
      [line(`/%?${t}`), 400],
      [line(`/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd?${t}`), 400],
      [line(`/%00?${t}`), 400],
      [line(`/..%2f..%2fetc%2fpasswd?${t}`), 200], // the console's page, never the file
      [line('/%'), 401],
      [upgrade('http://a:99999/rpc'), 400],
      [upgrade(`/%?${t}`), 404],
      [upgrade('/rpc'), 401],
    ];
    for (const [req, want] of cases) expect(statusOf(await raw(req)), req.split('\r\n')[0]).toBe(want);
    expect(await raw(line(`/..%2f..%2fetc%2fpasswd?${t}`))).not.toMatch(/root:/);
    await stillServes();
  });

  it('survives garbage: random request lines, bytes and oversized headers', async () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pieces = [
      'GET',
      'POST',
      ' ',
      '/',
      '%',
      'http://',
      ':99999',
      '?token=',
      '\u0000',
      '\r\n',
      'HTTP/1.1',
      '%zz',
      '#',
      '@',
    ];
    for (let i = 0; i < 150; i++) {
      const n = 1 + Math.floor(rnd() * 12);
      const target = Array.from({ length: n }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const reply = await raw(i % 3 === 0 ? Buffer.from(target, 'latin1') : line(target));
      expect(reply === '' || statusOf(reply) >= 200).toBe(true);
    }
    await raw(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    await raw(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)));
    await stillServes();
  });

  it('closes a WebSocket that sends a message over 1 MiB, or a text frame that is not UTF-8', async () => {
    const open = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc?token=${bridge.token}`);
      await new Promise((r, j) => ws.once('open', r).once('error', j));
      return ws;
    };
    const closeCode = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const big = await open();
    const bigClosed = closeCode(big);
    big.send('x'.repeat((1 << 20) + 10));
    expect(await bigClosed).toBeGreaterThanOrEqual(1000);
    const bad = await open();
    const badClosed = closeCode(bad);
    bad.send(Buffer.from([0x7b, 0xc0, 0xae, 0xff, 0x7d]), { binary: false });
    expect(await badClosed).toBeGreaterThanOrEqual(1000);
    await stillServes();
    expect(crashes).toBe(0);
  });
});
