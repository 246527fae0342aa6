// load-scripts/k6/*.js cannot run under real k6 here (k6 is not installable on this machine).
// This checks what can be checked without it: every script is valid ES module syntax, and
// workload.js turns each shipped workload into the k6 options it should (arrival-rate scenario,
// thresholds), with k6's modules replaced by recorders. Real k6 output is tested in k6-json.test.ts.
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';

const k6Dir = path.join(resolveConfig().loadScriptsDir, 'k6');
const workloadsDir = path.join(resolveConfig().loadScriptsDir, 'workloads');

const STUBS: Record<string, string> = {
  'k6/http': `export default { get: (u, p) => globalThis.__k6.req('GET', u, null, p), post: (u, b, p) => globalThis.__k6.req('POST', u, b, p) };`,
  k6: `export const sleep = () => {}; export const check = () => true;`,
  // k6/execution's scenario.iterationInTest counts the test's iterations (a scan's next key).
  'k6/execution': `let i = 0; export default { get scenario() { return { iterationInTest: i++ }; } };`,
  'k6/metrics': `class M { constructor(n) { this.n = n; } add(v, tags) { globalThis.__k6.metric(this.n, v, tags); } }
    export class Trend extends M {} export class Counter extends M {} export class Rate extends M {}`,
};

const repoRoot = path.resolve(k6Dir, '../..');

type Headers = Record<string, string>;
const API_HEADERS: Headers = {
  'X-Instance': 'api-1',
  'X-Cache': 'HIT',
  'X-Db-Node': 'none',
  'Server-Timing': 'cache;dur=1, db;dur=2, app;dur=2',
};

async function load(
  file: string,
  env: Record<string, string>,
  answer: (url: string) => { status?: number; headers?: Headers; error_code?: number } = () => ({}),
) {
  const out = await build({
    entryPoints: [path.join(k6Dir, file)],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'script',
    platform: 'neutral',
    plugins: [
      {
        name: 'k6-stubs',
        setup(b) {
          b.onResolve({ filter: /^k6(\/.*)?$/ }, (a) => ({ path: a.path, namespace: 'k6' }));
          b.onLoad({ filter: /.*/, namespace: 'k6' }, (a) => ({ contents: STUBS[a.path], loader: 'js' }));
        },
      },
    ],
  });
  const requests: Array<{ method: string; url: string; tags: Record<string, string> }> = [];
  const metrics: Array<{ name: string; value: number; tags?: Record<string, string> }> = [];
  let nextId = 1;
  (globalThis as Record<string, unknown>).__k6 = {
    req: (method: string, url: string, _b: unknown, p: { tags: Record<string, string> }) => {
      requests.push({ method, url, tags: p.tags });
      const id = nextId++;
      const a = answer(url);
      return {
        status: a.status ?? (method === 'POST' ? 201 : 200),
        json: () => id,
        timings: { duration: 5 },
        headers: a.headers ?? API_HEADERS,
        error_code: a.error_code ?? 0,
      };
    },
    metric: (name: string, value: number, tags?: Record<string, string>) => metrics.push({ name, value, tags }),
  };
  // k6's VU number: the first VU unless a test says otherwise.
  (globalThis as Record<string, unknown>).__VU ??= 1;
  const fn = new Function('__ENV', 'open', `${out.outputFiles[0].text}; return script;`);
  // As k6 does: open() resolves a relative path against the script's own folder.
  const mod = fn(env, (p: string) => readFileSync(path.resolve(k6Dir, p), 'utf8'));
  return { mod, requests, metrics };
}

describe('k6 scripts', () => {
  it('are valid ES modules', async () => {
    for (const f of readdirSync(k6Dir).filter((x) => x.endsWith('.js'))) {
      await expect(
        build({ entryPoints: [path.join(k6Dir, f)], bundle: false, write: false, format: 'esm' }),
        f,
      ).resolves.toBeTruthy();
    }
  });

  it('map every shipped workload to an arrival-rate scenario with its thresholds', async () => {
    for (const name of readdirSync(workloadsDir).map((f) => f.replace(/\.json$/, ''))) {
      const w = JSON.parse(readFileSync(path.join(workloadsDir, `${name}.json`), 'utf8'));
      const { mod } = await load('workload.js', {
        WORKLOAD: path.join(workloadsDir, `${name}.json`),
        BASE_URL: 'http://127.0.0.1:8080',
      });
      const sc = mod.options.scenarios[name];
      expect(mod.options.thresholds).toEqual(w.thresholds);
      if (w.rate.kind === 'constant') {
        expect(sc).toMatchObject({
          executor: 'constant-arrival-rate',
          rate: w.rate.rate,
          timeUnit: '1s',
          duration: `${w.rate.durationSeconds}s`,
        });
      } else {
        expect(sc).toMatchObject({ executor: 'ramping-arrival-rate', startRate: w.rate.startRate, timeUnit: '1s' });
        expect(sc.stages).toEqual(
          w.rate.stages.map((s: { targetRate: number; durationSeconds: number }) => ({
            target: s.targetRate,
            duration: `${s.durationSeconds}s`,
          })),
        );
      }
      expect(sc.maxVUs).toBeGreaterThanOrEqual(sc.preAllocatedVUs);
    }
  });

  it('reads WORKLOAD as the README runs it from the repository root, by name, or by absolute path', async () => {
    const want = JSON.parse(readFileSync(path.join(workloadsDir, 'mixed.json'), 'utf8'));
    const asDocumented = { WORKLOAD: 'load-scripts/workloads/mixed.json', BASE_URL: 'http://127.0.0.1:8080' };
    for (const env of [
      { ...asDocumented, PWD: repoRoot },
      asDocumented,
      { WORKLOAD: 'mixed' },
      { WORKLOAD: path.join(workloadsDir, 'mixed.json') },
    ]) {
      const { mod } = await load('workload.js', env);
      expect(Object.keys(mod.options.scenarios), JSON.stringify(env)).toEqual([want.name]);
    }
    const elsewhere = path.join(repoRoot, 'load-scripts');
    const { mod } = await load('workload.js', { WORKLOAD: 'workloads/spike.json', PWD: elsewhere });
    expect(Object.keys(mod.options.scenarios)).toEqual(['spike']);
  });

  it('gives a workload with clients that many VUs, keeping their cookies across iterations, and tags x-session', async () => {
    const { mod, requests, metrics } = await load('workload.js', { WORKLOAD: 'sessions' }, () => ({
      headers: { ...API_HEADERS, 'X-Session': 'found' },
    }));
    expect(mod.options.noCookiesReset).toBe(true);
    expect(mod.options.scenarios.sessions).toMatchObject({ preAllocatedVUs: 60, maxVUs: 60 });
    for (let i = 0; i < 200; i++) mod.default();
    expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/cart/items'))).toBe(true);
    expect(requests.some((r) => r.method === 'GET' && r.url.endsWith('/cart'))).toBe(true);
    const cartPoints = metrics.filter((m) => m.name === 'scalelab_latency' && m.tags?.endpoint?.startsWith('cart'));
    expect(cartPoints.length).toBeGreaterThan(0);
    expect(cartPoints.every((m) => m.tags?.session === 'found')).toBe(true);
    const { mod: plain } = await load('workload.js', { WORKLOAD: 'mixed' });
    expect(plain.options.noCookiesReset).toBe(false);
  });

  it('sends each VU its client id in the stack\'s header, one "noisy" client making its share, and tags the class', async () => {
    const seen: string[] = [];
    const { mod, metrics } = await load('workload.js', { WORKLOAD: 'noisy-client', CLIENT_HEADER: 'x-tenant' });
    (globalThis as Record<string, unknown>).__VU = 3;
    const k6 = (globalThis as unknown as { __k6: { req: (...a: unknown[]) => unknown } }).__k6;
    const req = k6.req;
    k6.req = (m, u, b, p) => {
      seen.push((p as { headers: Record<string, string> }).headers['x-tenant']);
      return req(m, u, b, p);
    };
    for (let i = 0; i < 400; i++) mod.default();
    const noisy = seen.filter((id) => id === 'noisy').length / seen.length;
    expect(noisy).toBeGreaterThan(0.4);
    expect(noisy).toBeLessThan(0.6);
    expect(new Set(seen.filter((id) => id !== 'noisy'))).toEqual(new Set(['client-vu-3']));
    const classes = new Set(metrics.filter((m) => m.name === 'scalelab_latency').map((m) => m.tags?.client_class));
    expect(classes).toEqual(new Set(['noisy', 'others']));
  });

  it("charges an edge hit to the edge, not to the instance nginx stored, and keeps k6's error_code", async () => {
    const env = { WORKLOAD: 'mixed', BASE_URL: 'http://127.0.0.1:8080', EDGE_URL: 'http://127.0.0.1:8081' };
    const edgeHit: Headers = { 'X-Instance': 'api-2', 'X-Edge-Cache': 'HIT' };
    const { mod, requests, metrics } = await load('workload.js', env, (url) =>
      url.includes('/static/') ? { headers: edgeHit } : { status: 0, headers: {}, error_code: 1212 },
    );
    for (let i = 0; i < 300; i++) mod.default();
    const lat = metrics.filter((m) => m.name === 'scalelab_latency');
    const edge = lat.filter((m) => m.tags!.cache === 'EDGE_HIT');
    expect(edge.length).toBeGreaterThan(0);
    expect(edge.every((m) => m.tags!.instance === '')).toBe(true);
    const refused = lat.filter((m) => m.tags!.status === '0');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((m) => m.tags!.error_code === '1212')).toBe(true);
    expect(requests.length).toBe(lat.length);
  });

  it('tags requests by endpoint and emits scalelab_latency with what the headers say', async () => {
    const { mod, requests, metrics } = await load('workload.js', {
      WORKLOAD: path.join(workloadsDir, 'mixed.json'),
      BASE_URL: 'http://127.0.0.1:8080',
      EDGE_URL: 'http://127.0.0.1:8081',
    });
    for (let i = 0; i < 400; i++) mod.default();
    const endpoints = new Set(requests.map((r) => r.tags.endpoint));
    expect([...endpoints].sort()).toEqual([
      'cheap-read',
      'expensive-read',
      'list',
      'read-own-write',
      'static',
      'write',
    ]);
    expect(
      requests
        .filter((r) => r.tags.endpoint === 'static')
        .every((r) => r.url.startsWith('http://127.0.0.1:8081/static/')),
    ).toBe(true);
    const own = requests.findIndex((r) => r.tags.endpoint === 'read-own-write');
    expect(requests[own - 1]).toMatchObject({ method: 'POST', tags: { endpoint: 'write' } });
    const lat = metrics.filter((m) => m.name === 'scalelab_latency');
    expect(lat).toHaveLength(requests.length);
    expect(lat[0].tags).toMatchObject({
      status: expect.stringMatching(/^20[01]$/),
      instance: 'api-1',
      db: 'none',
      stale: '0',
    });
    expect(
      metrics
        .filter((m) => m.name === 'scalelab_timing')
        .map((m) => m.tags!.part)
        .slice(0, 3),
    ).toEqual(['cache', 'db', 'app']);
  });
});
