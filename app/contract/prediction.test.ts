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
