import { describe, expect, it } from 'vitest';
import { markerEffects } from './marker-effects.js';

describe('marker effects', () => {
  it('compares the seconds before a switch with the seconds after it', () => {
    const points = Array.from({ length: 30 }, (_, i) => ({
      t: i * 1000,
      v: { 'load.p95': i < 15 ? 100 : 20, 'load.rps': 150, 'load.error_rate': 0, 'redis.hit_ratio': i < 15 ? 0 : 0.8 },
    }));
    const [e] = markerEffects(points, [{ t: 15_000, kind: 'switch', label: 'cache.enabled: false → true' }]);
    expect(e.before).toEqual({ p95: 100, rps: 150, errors: 0, hit: 0 });
    expect(e.after).toEqual({ p95: 20, rps: 150, errors: 0, hit: expect.closeTo(0.8, 9) });
    expect(e.afterSeconds).toBe(10);
  });
  it('has nothing after a marker that just happened', () => {
    const [e] = markerEffects([{ t: 0, v: { 'load.p95': 5 } }], [{ t: 500, kind: 'fault', label: 'kill api-2' }]);
    expect(e.afterSeconds).toBe(0);
    expect(e.after.p95).toBeNull();
  });
});
