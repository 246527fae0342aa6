import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { applyOverrides } from './workload-overrides.js';
import { compare, parseThreshold } from './thresholds.js';
import {
  listWorkloads,
  loadWorkload,
  parseWorkload,
  targetRateAt,
  workloadDuration,
  WorkloadError,
} from './workload-schema.js';

const dir = path.join(path.dirname(resolveConfig().stackDir), 'load-scripts', 'workloads');
const minimal = { name: 'w', mix: { 'cheap-read': 1 }, rate: { kind: 'constant', rate: 10, durationSeconds: 5 } };

describe('workloads', () => {
  it('ships the named workloads, all valid', () => {
    expect(listWorkloads(dir)).toEqual([
      'cache-prices',
      'cache-stampede',
      'cpu-bound',
      'edge-prices',
      'hot-and-scan',
      'mixed',
      'noisy-client',
      'orders',
      'read-heavy',
      'sessions',
      'sharded',
      'soak',
      'spike',
      'stress',
      'write-heavy',
    ]);
    for (const name of listWorkloads(dir)) expect(loadWorkload(name, dir).name).toBe(name);
  });

  it.each([
    [{ ...minimal, mix: { 'cheap-read': 0 } }, 'mix'],
    [{ ...minimal, mix: { 'delete-all': 3 } }, 'mix'],
    [{ ...minimal, rate: { kind: 'constant', rate: -1, durationSeconds: 5 } }, 'rate.rate'],
    [{ ...minimal, rate: { kind: 'stages', stages: [] } }, 'rate.stages'],
    [{ ...minimal, rate: { kind: 'burst' } }, 'rate.kind'],
    [{ ...minimal, keys: { distribution: 'zipf', zipfExponent: 9 } }, 'keys.zipfExponent'],
    [{ ...minimal, thresholds: { http_req_duration: ['p95 < 300'] } }, 'thresholds.http_req_duration.0'],
    [{ ...minimal, thresholds: { http_req_failed: ['p(95)<1'] } }, 'thresholds.http_req_failed.0'],
    [{ ...minimal, thresholds: { made_up: ['rate<1'] } }, 'thresholds.made_up.0'],
    [{ ...minimal, extra: true }, '(root)'],
  ])('refuses %j naming %s', (input, field) => {
    try {
      parseWorkload(input);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorkloadError);
      expect(
        (err as WorkloadError).issues.some((i) => i.startsWith(`${field}:`)),
        (err as Error).message,
      ).toBe(true);
    }
  });

  it('never quotes a file that is not JSON in its error (a path to /etc/passwd, or any file)', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'scalelab-wl-')), 'secret.json');
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
    expect(() => loadWorkload(file, dir)).toThrow(/secret\.json is not valid JSON/);
    expect(() => loadWorkload(file, dir)).not.toThrow(/root/);
  });

  it('says which workloads exist when the name is unknown', () => {
    expect(() => loadWorkload('heavy-reads', dir)).toThrow(
      /one of cache-prices, cache-stampede, cpu-bound, edge-prices, hot-and-scan, mixed, noisy-client, orders, read-heavy/,
    );
  });

  it('ramps stages linearly and knows the total duration', () => {
    const w = loadWorkload('spike', dir);
    expect(workloadDuration(w)).toBe(90);
    expect(targetRateAt(w, 10)).toBe(50);
    expect(targetRateAt(w, 22.5)).toBeCloseTo(325);
    expect(targetRateAt(w, 30)).toBe(600);
    expect(targetRateAt(w, 90)).toBe(0);
    expect(targetRateAt(parseWorkload(minimal), 4.9)).toBe(10);
  });
});

describe('overrides', () => {
  it('replaces the rate, caps the duration, and swaps the key distribution, keeping the rest', () => {
    const w = loadWorkload('read-heavy', dir);
    const o = applyOverrides(w, { rate: 40, durationSeconds: 20, keys: 'uniform' });
    expect(o.rate).toEqual({ kind: 'constant', rate: 40, durationSeconds: 20 });
    expect(o.keys).toEqual({ ...w.keys, distribution: 'uniform' });
    expect(o.mix).toEqual(w.mix);
    expect(applyOverrides(w, {})).toBe(w);
    expect(applyOverrides(w, { keys: w.keys.distribution })).toBe(w);
  });
});

describe('thresholds', () => {
  it('parses k6 syntax', () => {
    expect(parseThreshold('p(95)<300')).toEqual({ expression: 'p(95)<300', aggregation: 'p(95)', op: '<', value: 300 });
    expect(parseThreshold(' rate <= 0.01 ')).toMatchObject({ aggregation: 'rate', op: '<=', value: 0.01 });
    expect(parseThreshold('p(99.9)<1000').aggregation).toBe('p(99.9)');
    expect(() => parseThreshold('p(0)<1')).toThrow(/percentile/);
    expect(() => parseThreshold('fast')).toThrow(/not a threshold/);
  });
  it('compares', () => {
    expect(compare(299, '<', 300)).toBe(true);
    expect(compare(300, '<', 300)).toBe(false);
    expect(compare(300, '<=', 300)).toBe(true);
    expect(compare(1, '!=', 2)).toBe(true);
  });
});
