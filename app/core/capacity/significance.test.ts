// The two-run comparison on synthetic seconds that carry on from one another (AR(1) noise, as real
// seconds do): two runs of one process show no measurable difference; a p95 halved shows one,
// with the interval on the right side of zero; too short a run is refused.
import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';
import { differences, TooShortError } from './significance.js';

/** A run of `n` seconds: rps about 200, p95 about `p95` ms, each second correlated with the last. */
function run(n: number, seed: number, p95 = 40): TimelinePoint[] {
  let s = seed;
  const random = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
  let drift = 0;
  return Array.from({ length: n }, (_, i) => {
    drift = 0.7 * drift + (random() - 0.5) * 0.3;
    const f = 1 + drift;
    return {
      t: 1_000_000 + i * 1000,
      v: {
        [SERIES.rps]: Math.round(200 * (1 + (random() - 0.5) * 0.04)),
        [SERIES.failed]: random() < 0.1 ? 1 : 0,
        [SERIES.p50]: (p95 / 4) * f,
        [SERIES.p95]: p95 * f,
        [SERIES.p99]: p95 * 1.8 * f,
      },
    };
  });
}

describe('is the difference real', () => {
  it('says no measurable difference between two runs of one process, for every figure', () => {
    for (const [x, y] of [
      [11, 29],
      [5, 77],
      [123, 456],
    ]) {
      const d = differences(run(60, x!), run(60, y!));
      expect(d.map((m) => m.metric)).toEqual(['throughput', 'p50', 'p95', 'p99', 'error_rate']);
      for (const m of d) {
        expect(m.low).toBeLessThanOrEqual(m.diff);
        expect(m.high).toBeGreaterThanOrEqual(m.diff);
        expect(m.verdict, `${m.metric} with seeds ${x}, ${y}`).toBe('no measurable difference');
      }
    }
  });

  it('finds a p95 halved, its interval below zero', () => {
    const d = differences(run(60, 11), run(60, 29, 20));
    const p95 = d.find((m) => m.metric === 'p95')!;
    expect(p95.verdict).toBe('lower in B');
    expect(p95.high).toBeLessThan(0);
    expect(p95.diff).toBeCloseTo(p95.b - p95.a, 9);
    expect(d.find((m) => m.metric === 'throughput')!.verdict).toBe('no measurable difference');
  });

  it('refuses runs too short to judge', () => {
    expect(() => differences(run(8, 1), run(60, 2))).toThrow(TooShortError);
    expect(() => differences(run(8, 1), run(60, 2))).toThrow(/5 seconds with traffic/);
  });

  it('calls one process against itself different about as often as a 95% interval should', () => {
    let different = 0;
    for (let x = 1; x < 200; x += 2)
      if (
        differences(run(60, x), run(60, x + 1000)).find((m) => m.metric === 'p95')!.verdict !==
        'no measurable difference'
      )
        different++;
    // Nominal 5 in 100; measured 5 (a percentile interval over blocks of ⌈n^⅓⌉ seconds: 26).
    expect(different).toBeLessThanOrEqual(10);
  });
});
