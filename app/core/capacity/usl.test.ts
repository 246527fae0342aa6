// The USL fit recovers the parameters synthetic throughput was made with (exactly without noise,
// within a stated tolerance with ±2% of it), says where throughput peaks, fits Amdahl's law beside
// it, and refuses fewer distinct points than parameters.
import { describe, expect, it } from 'vitest';
import { FitError, fitScaling, predict } from './usl.js';

const truth = { lambda: 120, sigma: 0.06, kappa: 0.004 };
const ns = [1, 2, 3, 4, 6, 8, 12, 16];
/** Deterministic noise: a fixed pattern of ±2%. */
const wobble = [0.02, -0.015, 0.01, -0.02, 0.005, 0.018, -0.01, -0.005];

describe('the Universal Scalability Law fit', () => {
  it('recovers the parameters of noiseless throughput, and the peak', () => {
    const f = fitScaling(ns.map((n) => ({ n, x: predict(truth, n) })));
    expect(f.lambda).toBeCloseTo(truth.lambda, 3);
    expect(f.sigma).toBeCloseTo(truth.sigma, 5);
    expect(f.kappa).toBeCloseTo(truth.kappa, 6);
    expect(f.r2).toBeCloseTo(1, 9);
    expect(f.peakN).toBeCloseTo(Math.sqrt((1 - truth.sigma) / truth.kappa), 3);
  });

  it('recovers them within tolerance from throughput off by up to 2%, with standard errors that cover the truth', () => {
    const f = fitScaling(ns.map((n, i) => ({ n, x: predict(truth, n) * (1 + wobble[i]!) })));
    // Tolerance: λ within 5%, σ within 0.03, κ within 0.0015 (measured here: see the figures below).
    expect(Math.abs(f.lambda - truth.lambda) / truth.lambda).toBeLessThan(0.05);
    expect(Math.abs(f.sigma - truth.sigma)).toBeLessThan(0.03);
    expect(Math.abs(f.kappa - truth.kappa)).toBeLessThan(0.0015);
    expect(f.r2).toBeGreaterThan(0.98);
    expect(f.stdErr).not.toBeNull();
    expect(Math.abs(f.kappa - truth.kappa)).toBeLessThan(3 * f.stdErr!.kappa);
  });

  it("fits Amdahl's law (no coherency) beside it: no peak, throughput flattening toward λ/σ", () => {
    const amdahl = { lambda: 100, sigma: 0.1, kappa: 0 };
    const f = fitScaling(
      ns.map((n) => ({ n, x: predict(amdahl, n) })),
      'amdahl',
    );
    expect(f.kappa).toBe(0);
    expect(f.sigma).toBeCloseTo(0.1, 5);
    expect(f.peakN).toBeNull();
  });

  it('refuses fewer distinct points than parameters, and points that cannot be throughput', () => {
    expect(() =>
      fitScaling([
        { n: 1, x: 100 },
        { n: 2, x: 180 },
      ]),
    ).toThrow(FitError);
    expect(() =>
      fitScaling([
        { n: 1, x: 100 },
        { n: 2, x: 180 },
        { n: 2, x: 181 },
      ]),
    ).toThrow(/3 or more different N, and has 2/);
    expect(() =>
      fitScaling(
        [
          { n: 1, x: 100 },
          { n: 2, x: 180 },
        ],
        'amdahl',
      ),
    ).not.toThrow();
    expect(() =>
      fitScaling([
        { n: 1, x: 100 },
        { n: 2, x: 0 },
        { n: 3, x: 200 },
      ]),
    ).toThrow(/above 0/);
  });

  it('says it cannot bound the parameters with no degree of freedom left', () => {
    const f = fitScaling([1, 2, 4].map((n) => ({ n, x: predict(truth, n) })));
    expect(f.stdErr).toBeNull();
  });
});
