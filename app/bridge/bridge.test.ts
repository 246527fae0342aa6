// The browser-mode bridge's security: only a request with the token, this Host and (from a
// browser) this Origin reaches the Lab. Real HTTP and WebSocket on 127.0.0.1.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLab } from '../core/create-lab.js';
import { PRESETS } from '../core/topology/presets.js';
import { createClient } from '../rpc/client.js';
import { startBridge, wsClientTransport, type Bridge } from './bridge-server.js';

let bridge: Bridge;
const staticDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-static-'));

beforeAll(async () => {
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>ScaleLab</title>');
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  bridge = await startBridge({
    lab: createLab({ stack: 't-bridge', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-br-')) }),
    staticDir,
  });
});
afterAll(async () => {
  await bridge.close();
});

function get(
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: bridge.port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

function openWs(query: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/rpc${query}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

describe('bridge security', () => {
  it('listens on 127.0.0.1 only and prints a URL with its token', () => {
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/\\?token=[\\w-]{20,}$`));
  });

  it('serves pages only with the token, then by an HttpOnly cookie, with a strict CSP', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    const ok = await get(`/?token=${bridge.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['set-cookie']![0]).toMatch(/^scalelab_token=.+; HttpOnly; SameSite=Strict/);
    expect(ok.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(ok.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const asset = await get('/assets/app.js', { cookie: `scalelab_token=${bridge.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript');
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    expect((await get(`/?token=${bridge.token}`, { host: `evil.example:${bridge.port}` })).status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await get(`/..%2f..%2fetc%2fpasswd?token=${bridge.token}`);
    expect(r.body).not.toMatch(/root:/);
  });

  it('refuses WebSockets with no token, a wrong token, a foreign Origin or Host', async () => {
    expect((await openWs('')).status).toBe(401);
    expect((await openWs('?token=nope')).status).toBe(401);
    expect((await openWs(`?token=${bridge.token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await openWs(`?token=${bridge.token}`, { host: 'evil.example' })).status).toBe(403);
  });

  it('serves the Lab API to a client with the token and this Origin', async () => {
    const { ws } = await openWs(`?token=${bridge.token}`, { origin: bridge.origin });
    expect(ws).toBeDefined();
    const client = createClient(wsClientTransport(ws!));
    expect((await client.api.stack.presets()).length).toBe(PRESETS.length);
    await expect(client.api.stack.validate({ topology: { api: { instances: 0 } } })).rejects.toThrow(/api\.instances/);
    ws!.send('not json at all');
    expect((await client.api.runs.list()).filter((r) => !r.sample)).toEqual([]);
    ws!.close();
  });
});
