// The k6 stream parser against real k6 output (testing/k6-fixtures: ../shared/fixtures/k6, recorded with k6 v1.3.0).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { K6_FIXTURES, SHARED_K6_FIXTURES } from '../testing/k6-fixtures.js';
import { K6JsonParser, type K6Metric } from './k6-json.js';
import type { RequestSample } from './window-aggregator.js';
import { WindowAggregator } from './window-aggregator.js';

const fixtures = K6_FIXTURES;
const read = (f: string) => readFileSync(path.join(fixtures, f), 'utf8');

function parseAll(text: string, chunk: number) {
  const samples: RequestSample[] = [];
  const metrics: K6Metric[] = [];
  const vus: number[] = [];
  const p = new K6JsonParser({
    sample: (s) => samples.push(s),
    metric: (m) => metrics.push(m),
    vus: (_at, v) => vus.push(v),
  });
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  p.end();
  return { samples, metrics, vus, stats: p.stats };
}

describe('the recorded k6 output', () => {
  it.skipIf(!existsSync(SHARED_K6_FIXTURES))(
    "is, in the repository, the same files as the team's ../shared/fixtures/k6",
    () => {
      const files = readdirSync(SHARED_K6_FIXTURES).sort();
      expect(readdirSync(K6_FIXTURES).sort()).toEqual(files);
      for (const f of files)
        expect(readFileSync(path.join(K6_FIXTURES, f)).equals(readFileSync(path.join(SHARED_K6_FIXTURES, f))), f).toBe(
          true,
        );
    },
  );
});

describe('k6 --out json parser', () => {
  const text = read('out-json.ndjson');
  const summary = JSON.parse(read('summary-export.json')).metrics;

  it("keeps why requests failed: the recorded run's 404s (error_code 1404) are HTTP 4xx, as many as k6 counted failed", () => {
    const { samples } = parseAll(text, 4096);
    const failed = samples.filter((s) => s.status === 0 || s.status >= 400);
    expect(failed.length).toBe(summary.http_req_failed.passes);
    expect(new Set(failed.map((s) => s.failure))).toEqual(new Set(['http_4xx']));
    expect(samples.filter((s) => s.status < 400).every((s) => s.failure === undefined)).toBe(true);
  });

  it('finds every request of the recorded run, whatever the chunking (4 KiB like k6 stdout, or 7 bytes)', () => {
    for (const chunk of [4096, 7, text.length]) {
      const { samples, stats } = parseAll(text, chunk);
      expect(samples).toHaveLength(summary.http_reqs.count);
      expect(stats.bad).toBe(0);
    }
  });

  it("reads status, endpoint name and time: failures and latency agree with k6's own summary", () => {
    const { samples } = parseAll(text, 4096);
    const failed = samples.filter((s) => s.status === 0 || s.status >= 400).length;
    expect(failed).toBe(summary.http_req_failed.passes);
    const max = Math.max(...samples.map((s) => s.latencyMs));
    expect(max).toBeCloseTo(summary.http_req_duration.max, 5);
    const avg = samples.reduce((s, x) => s + x.latencyMs, 0) / samples.length;
    expect(avg).toBeCloseTo(summary.http_req_duration.avg, 5);
    expect(new Set(samples.map((s) => s.endpoint))).toContain('GET /api/products/:id');
    expect(samples.every((s) => Number.isFinite(s.at) && s.at > Date.parse('2026-01-01'))).toBe(true);
  });

  it('reads metric declarations with their thresholds', () => {
    const { metrics } = parseAll(text, 4096);
    expect(metrics.find((m) => m.name === 'http_req_failed')).toMatchObject({ type: 'rate', thresholds: ['rate<0.5'] });
    expect(metrics.find((m) => m.name === 'http_req_duration')?.type).toBe('trend');
  });

  it('folds the points into one-second windows like the built-in engine', () => {
    const agg = new WindowAggregator();
    const p = new K6JsonParser({ sample: (s) => agg.record(s) });
    p.push(text);
    p.end();
    const windows = agg.flush(Number.POSITIVE_INFINITY, 0, { lateMsMax: 0, inFlight: 0, cpuPercent: 0 });
    expect(windows.reduce((s, w) => s + w.completed, 0)).toBe(summary.http_reqs.count);
    expect(windows.length).toBeGreaterThanOrEqual(5);
    expect(windows.every((w) => w.t % 1000 === 0)).toBe(true);
  });

  it('streams from stdout (an externally-controlled run, its first 3000 lines)', () => {
    const text = read('ext-stdout-head.ndjson');
    const { samples, stats } = parseAll(text, 4096);
    expect(samples).toHaveLength(text.split('"metric":"http_req_duration","type":"Point"').length - 1);
    expect(stats.lines).toBe(3000);
    expect(stats.bad).toBe(0);
  });

  it('reads VUs', () => {
    const { vus } = parseAll(text, 4096);
    expect(vus).toEqual([2, 2, 2, 2, 2]);
  });

  it("prefers the scalelab_latency points of ScaleLab's own script, with header tags", () => {
    const lines =
      [
        '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T22:58:00.100Z","value":12,"tags":{"name":"x","status":"200"}}}',
        '{"metric":"scalelab_latency","type":"Point","data":{"time":"2026-11-23T22:58:00.100Z","value":12,"tags":{"endpoint":"cheap-read","status":"200","instance":"api-2","cache":"HIT","db":"none","stale":"0"}}}',
        '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-23T22:58:00.200Z","value":30,"tags":{"name":"y","status":"404"}}}',
        '{"metric":"scalelab_latency","type":"Point","data":{"time":"2026-11-23T22:58:00.200Z","value":30,"tags":{"endpoint":"read-own-write","status":"404","instance":"api-1","cache":"MISS","db":"db-replica-1","stale":"1"}}}',
      ].join('\n') + '\n';
    const { samples } = parseAll(lines, 50);
    // The first http_req_duration comes before any scalelab_latency and counts; after that only the script's own points do.
    expect(samples.map((s) => s.endpoint)).toEqual(['x', 'cheap-read', 'read-own-write']);
    expect(samples[2]).toMatchObject({
      instance: 'api-1',
      cache: 'MISS',
      dbNode: 'db-replica-1',
      stale: true,
      status: 404,
    });
  });
});
