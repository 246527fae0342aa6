// The built-in engine against a real HTTP server on 127.0.0.1 with a known delay.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadWindow } from '../../contract/load.js';
import { FAMILY, SERIES } from '../../contract/series.js';
import { loadWindowSeries } from '../metrics/load-series.js';
import { BuiltinEngine, parseServerTiming } from './builtin-engine.js';
import { createKeySampler } from './key-sampler.js';
import { parseWorkload } from './workload-schema.js';

let server: http.Server;
let base: string;
let delayMs = 20;
let stallUntil = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const wait = Math.max(delayMs, stallUntil - Date.now());
    setTimeout(() => {
      res.writeHead(200, {
        'x-instance': 'stub-1',
        'x-cache': req.url!.length % 2 ? 'HIT' : 'MISS',
        'x-db-node': 'primary',
        'server-timing': `cache;dur=1.5, db;dur=${delayMs}, app;dur=0.5`,
      });
      res.end('{}');
    }, wait);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

const workload = (rate: number, seconds: number, thresholds: Record<string, string[]> = {}) =>
  parseWorkload({
    name: 'test',
    mix: { 'cheap-read': 1 },
    keys: { distribution: 'uniform', keySpace: 100 },
    rate: { kind: 'constant', rate, durationSeconds: seconds },
    thresholds,
  });

describe('built-in engine', () => {
  it('measures a known server-side delay, fills one window a second, reads the response headers', async () => {
    delayMs = 20;
    const windows: LoadWindow[] = [];
    const res = await new BuiltinEngine().run({
      workload: workload(100, 3, { http_req_duration: ['p(95)<1000'], http_req_failed: ['rate<0.01'] }),
      target: { baseUrl: base },
      onWindow: (w) => windows.push(w),
    });
    expect(res.totals.completed).toBeGreaterThanOrEqual(290);
    expect(res.totals.failed).toBe(0);
    // Never below the known delay; the median close to it. (Tight bounds on a loaded machine
    // belong to the benchmark and the real-stack fidelity test, not here.)
    expect(res.totals.completed).toBe(res.totals.sent);
    expect(res.latency!.p50).toBeGreaterThanOrEqual(20);
    expect(res.latency!.p50).toBeLessThan(20 + 40);
    expect(res.latency!.p95).toBeLessThan(20 + 150);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    const full = windows.filter((w) => w.completed > 50);
    expect(full.length).toBeGreaterThanOrEqual(2);
    for (const w of full) {
      expect(w.byInstance['stub-1']).toBe(w.completed);
      expect(w.byDbNode.primary).toBe(w.completed);
      expect(w.byEndpoint['cheap-read'].count).toBe(w.completed);
      expect(w.serverTiming.db).toBe(20);
      expect(Object.keys(w.latencyByCache).sort()).toEqual(['HIT', 'MISS']);
    }
    expect(res.thresholds.every((t) => t.passed)).toBe(true);
  });

  it('shows a one-second server stall in p99 (latency counts from the scheduled send time)', async () => {
    delayMs = 5;
    const engine = new BuiltinEngine();
    setTimeout(() => {
      stallUntil = Date.now() + 1000;
    }, 1000);
    const res = await engine.run({
      workload: workload(100, 4, { http_req_duration: ['p(99)<500'] }),
      target: { baseUrl: base },
      onWindow: () => undefined,
    });
    // A closed-loop tool would send ~1 request during the stall and report a clean p99; here
    // every request scheduled during the stall waits for it.
    expect(res.latency!.p99).toBeGreaterThan(500);
    expect(res.latency!.max).toBeGreaterThan(900);
    expect(res.thresholds).toEqual([expect.objectContaining({ expression: 'p(99)<500', passed: false })]);
  });

  it('changes its rate live and stops cleanly', async () => {
    delayMs = 1;
    const engine = new BuiltinEngine();
    const windows: LoadWindow[] = [];
    setTimeout(() => engine.setRate(300), 1000);
    setTimeout(() => engine.stop(), 2500);
    const res = await engine.run({
      workload: workload(50, 30),
      target: { baseUrl: base },
      onWindow: (w) => windows.push(w),
    });
    expect(res.stoppedEarly).toBe(true);
    expect(res.endedAt - res.startedAt).toBeLessThan(5000);
    expect(Math.max(...windows.map((w) => w.targetRate))).toBe(300);
    expect(() => engine.setRate(-1)).toThrow(/rate/);
  });

  it('spreads the load over worker threads and merges their seconds exactly', async () => {
    delayMs = 10;
    const engine = new BuiltinEngine({ workers: 2 });
    expect(engine.threadsFor(workload(20_000, 1))).toBe(2);
    expect(new BuiltinEngine().threadsFor(workload(100, 1))).toBe(1);
    const windows: LoadWindow[] = [];
    const res = await engine.run({
      workload: workload(200, 3, { http_req_duration: ['p(95)<1000'] }),
      target: { baseUrl: base },
      onWindow: (w) => windows.push(w),
    });
    expect(res.totals.completed).toBeGreaterThanOrEqual(590);
    expect(res.totals.completed).toBeLessThanOrEqual(601);
    expect(res.totals.failed).toBe(0);
    expect(windows.reduce((s, w) => s + w.completed, 0)).toBe(res.totals.completed);
    for (const w of windows.filter((x) => x.completed > 50)) {
      expect(w.byInstance['stub-1']).toBe(w.completed);
      expect(w.latency!.count).toBe(w.completed);
      expect(w.latency!.p50).toBeGreaterThanOrEqual(10);
      expect(w.serverTiming.db).toBe(10);
    }
    expect(res.latency!.p50).toBeGreaterThanOrEqual(10);
    expect(res.latency!.p50).toBeLessThan(10 + 40);
    expect(res.latency!.p95).toBeLessThan(10 + 150);
    expect(res.thresholds[0].passed).toBe(true);
  });

  it('changes rate and stops across threads', async () => {
    delayMs = 1;
    const engine = new BuiltinEngine({ workers: 2 });
    const windows: LoadWindow[] = [];
    // Driven by the engine's own seconds, not wall-clock timers: on a busy machine the
    // threads start late, and a timer's "one second in" may land before the first window.
    const res = await engine.run({
      workload: workload(100, 30),
      target: { baseUrl: base },
      onWindow: (w) => {
        windows.push(w);
        if (windows.length === 1) engine.setRate(400);
        if (windows.length === 4) engine.stop();
      },
    });
    expect(res.stoppedEarly).toBe(true);
    expect(res.endedAt - res.startedAt).toBeLessThan(10_000);
    expect(windows[0].completed).toBeLessThan(150);
    // The third and fourth seconds run wholly at the new rate.
    expect(Math.max(windows[2].completed, windows[3].completed)).toBeGreaterThan(300);
  });

  it('counts requests that get no answer as failed, and says why: nothing listens (refused)', async () => {
    const windows: LoadWindow[] = [];
    const res = await new BuiltinEngine({ timeoutMs: 1000 }).run({
      workload: workload(20, 1),
      target: { baseUrl: 'http://127.0.0.1:9' },
      onWindow: (w) => windows.push(w),
    });
    expect(res.totals.completed).toBeGreaterThan(10);
    expect(res.totals.failed).toBe(res.totals.completed);
    expect(res.failuresByReason).toEqual({ refused: res.totals.failed });
    const series = windows.filter((w) => w.completed).map(loadWindowSeries);
    expect(series.every((v) => v[FAMILY.errorRate.key('refused')] === 1 && v[SERIES.errorRate] === 1)).toBe(true);
  });

  it('tells a server that hangs (timeout) from one that answers 503 (HTTP 5xx), across worker threads too', async () => {
    const hang = http.createServer((req, res) => {
      if (req.url!.includes('/products/1')) return; // never answers: ids 1, 10-19, 100
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    try {
      for (const workers of [1, 2]) {
        const res = await new BuiltinEngine({ timeoutMs: 500, workers }).run({
          workload: workload(60, 1),
          target: { baseUrl: url },
          onWindow: () => undefined,
        });
        expect(res.totals.failed).toBe(res.totals.completed);
        expect(res.failuresByReason.timeout, `workers ${workers}`).toBeGreaterThan(0);
        expect(res.failuresByReason.http_5xx).toBeGreaterThan(0);
        expect(res.failuresByReason.timeout + res.failuresByReason.http_5xx).toBe(res.totals.failed);
      }
    } finally {
      hang.closeAllConnections();
      hang.close();
    }
  });
});

describe('a server that hangs on some requests', () => {
  it('keeps sending on schedule with enough connections, and flags the generator when requests wait for one', async () => {
    const held: http.ServerResponse[] = [];
    const hang = http.createServer((req, res) => {
      // Every product id ending in 1 hangs (as on a paused instance) until the test ends.
      if (/^\/products\/\d*1$/.test(req.url!)) return void held.push(res);
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    try {
      const few: LoadWindow[] = [];
      await new BuiltinEngine({ connections: 4, timeoutMs: 1500 }).run({
        workload: workload(100, 2),
        target: { baseUrl: url },
        onWindow: (w) => few.push(w),
      });
      expect(few.some((w) => w.generator.saturated && (w.generator.waitingMax ?? 0) > 0)).toBe(true);
      expect(few.flatMap((w) => w.generator.reasons).join(' ')).toMatch(/waited for a free connection/);

      const many: LoadWindow[] = [];
      const heldBefore = held.length;
      const res = await new BuiltinEngine({ timeoutMs: 4000 }).run({
        workload: workload(100, 2),
        target: { baseUrl: url },
        onWindow: (w) => many.push(w),
      });
      // The hung tenth of the requests (random ids: about 20 of 200) does not stop the rest: all
      // were sent on schedule, and every one the server answered succeeded.
      const hung = held.length - heldBefore;
      expect(res.totals.sent).toBeGreaterThanOrEqual(190);
      expect(res.totals.completed - res.totals.failed).toBeGreaterThanOrEqual(res.totals.sent - hung - 2);
      expect(many.every((w) => (w.generator.waitingMax ?? 0) === 0)).toBe(true);
    } finally {
      held.forEach((r) => r.destroy());
      hang.closeAllConnections();
      hang.close();
    }
  });
});

describe('helpers', () => {
  it('parses Server-Timing', () => {
    expect(parseServerTiming('cache;dur=2.48, db;dur=30.07, app;dur=2.13')).toEqual({
      cache: 2.48,
      db: 30.07,
      app: 2.13,
    });
    expect(parseServerTiming('db;desc="x";dur=4')).toEqual({ db: 4 });
    expect(parseServerTiming(undefined)).toBeUndefined();
  });

  it('draws Zipf keys so about a fifth of the keys get about four fifths of the draws', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const sample = createKeySampler({ distribution: 'zipf', zipfExponent: 1, keySpace: 10_000 }, rnd);
    const counts = new Map<number, number>();
    for (let i = 0; i < 100_000; i++) {
      const k = sample();
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const top20 = sorted.slice(0, 2000).reduce((s, c) => s + c, 0) / 100_000;
    expect(top20).toBeGreaterThan(0.75);
    expect(top20).toBeLessThan(0.92);
    expect(Math.min(...counts.keys())).toBe(1);
    expect(Math.max(...counts.keys())).toBeLessThanOrEqual(10_000);
  });
});
