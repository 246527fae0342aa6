// Headroom from a fit: the fewest instances whose throughput, kept to (1 − headroom), carries the
// target; the range the fit's uncertainty allows; none past the peak.
import { describe, expect, it } from 'vitest';
import { planHeadroom, predictionError } from './headroom.js';
import type { ScalingFit } from './usl.js';

const fit: ScalingFit = {
  model: 'usl',
  lambda: 100,
  sigma: 0.05,
  kappa: 0.002,
  stdErr: { lambda: 3, sigma: 0.01, kappa: 0.0005 },
  r2: 0.99,
  peakN: Math.sqrt(0.95 / 0.002),
};

describe('headroom planning', () => {
  it('needs enough instances that each runs at half its capacity, with the range the fit allows', () => {
    const p = planHeadroom(fit, 200, 0.5);
    // 100N/(1 + 0.05(N−1) + 0.002N(N−1)) ≥ 400 first at N = 5 (403.2); N = 4 gives 340.7.
    expect(p.instances).toBe(5);
    expect(p.predicted!).toBeCloseTo(403.2, 1);
    expect(p.optimistic!).toBeLessThanOrEqual(5);
    expect(p.pessimistic!).toBeGreaterThan(5);
    expect(predictionError(fit, 5)).toBeGreaterThan(0);
  });

  it('says no count carries a target above the peak', () => {
    expect(planHeadroom(fit, 1000, 0.5).instances).toBeNull();
  });
});
