import { describe, expect, it } from 'vitest';
import { FAMILY } from '../../contract/series.js';
import { loadWindowSeries } from '../metrics/load-series.js';
import { WindowAggregator } from './window-aggregator.js';

const gen = { lateMsMax: 0, inFlight: 0, cpuPercent: 1 };

describe('one second by API version and by client', () => {
  it('counts responses, failures and p95 per version, and 429s per client class', () => {
    const agg = new WindowAggregator();
    for (let i = 0; i < 10; i++) {
      agg.record({
        at: 1_100 + i,
        latencyMs: 5,
        endpoint: 'cheap-read',
        status: 200,
        version: 'v1',
        clientClass: 'others',
      });
      agg.record({
        at: 1_200 + i,
        latencyMs: 50,
        endpoint: 'cheap-read',
        status: i < 3 ? 500 : 200,
        version: 'v2',
        clientClass: 'noisy',
      });
    }
    agg.record({ at: 1_300, latencyMs: 1, endpoint: 'cheap-read', status: 429, clientClass: 'noisy' });
    const [w] = agg.flush(2_000, 21, gen);
    // HDR histograms: values within their precision (3 significant digits).
    expect(w.byVersion).toEqual({
      v1: { count: 10, failed: 0, p95: expect.closeTo(5, 1) },
      v2: { count: 10, failed: 3, p95: expect.closeTo(50, 0) },
    });
    expect(w.byClient).toEqual({ others: { count: 10, limited: 0 }, noisy: { count: 11, limited: 1 } });
    const v = loadWindowSeries(w);
    expect([v[FAMILY.versionCount.key('v2')], v[FAMILY.versionFailed.key('v2')]]).toEqual([10, 3]);
    expect(v[FAMILY.versionP95.key('v2')]).toBeCloseTo(50, 0);
    expect(v[FAMILY.clientLimited.key('noisy')]).toBe(1);
  });
});
