// Predict, then measure: a prediction read against the figure the run measured, in words.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from './load.js';
import { measuredFor, predictionLine } from './prediction.js';

const summary = {
  rps: 149.6,
  latency: { p50: 3.5, p90: 52.5, p95: 103.0, p99: 277.8, max: 1869.2, mean: 20 },
  errorRate: 0.004,
  hitRatio: 0.694,
  maxLagSeconds: null,
} as unknown as RunSummary;

describe('predict, then measure', () => {
  it('reads the predicted figure from the run', () => {
    expect(measuredFor('p95', summary)).toBe(103.0);
    expect(measuredFor('hit_ratio', summary)).toBe(0.694);
    expect(measuredFor('max_lag', summary)).toBeNull();
  });

  it('says the prediction against the measurement, and what is not measured yet', () => {
    expect(predictionLine({ metric: 'p95', value: 80 }, summary)).toBe(
      'predicted p95 latency 80 ms, measured 103.0 ms (29% higher)',
    );
    expect(predictionLine({ metric: 'hit_ratio', value: 0.9 }, summary)).toBe(
      'predicted cache hit ratio 0.9, measured 0.694 (23% lower)',
    );
    expect(predictionLine({ metric: 'rps', value: 150 }, null)).toBe(
      'predicted requests per second 150/s; measured: not yet',
    );
  });
});

describe('a choice against an earlier run, and a sweep\u2019s knee', () => {
  const lower = {
    metric: 'p95' as const,
    label: 'p95 latency (ms)',
    a: 60,
    b: 39.4,
    diff: -20.6,
    low: -27.4,
    high: -13.7,
    verdict: 'lower in B' as const,
  };
  const p = { versus: 'p95' as const, choice: 'lower' as const, against: 'r1' };

  it('judges the choice by the interval of the difference', () => {
    expect(predictionLine(p, { ...summary, versus: lower })).toBe(
      'predicted p95 lower than run r1; measured lower (-20.6, 95% interval -27.4 to -13.7): right',
    );
    const same = { ...lower, diff: -2, low: -6, high: 3, verdict: 'no measurable difference' as const };
    expect(predictionLine(p, { ...summary, versus: same })).toMatch(/measured about the same .*: wrong$/);
    expect(predictionLine(p, { ...summary, versus: { unavailable: 'run A has under 10 s of traffic' } })).toBe(
      'predicted p95 lower than run r1; no verdict: run A has under 10 s of traffic',
    );
    expect(predictionLine(p, null)).toBe('predicted p95 lower than run r1; measured: not yet');
  });

  it('reads the knee of a sweep\u2019s run', () => {
    expect(predictionLine({ metric: 'knee', value: 150 }, { ...summary, knee: 133 })).toBe(
      'predicted knee (a sweep\u2019s highest rate that held) 150/s, measured 133.0/s (11% lower)',
    );
    expect(measuredFor('knee', summary)).toBeNull();
  });
});
