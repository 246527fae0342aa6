import { describe, expect, it } from 'vitest';
import type { Autoscale } from '../../contract/topology.js';
import { decide, type Recommendation } from './hpa-rule.js';

const settings: Autoscale = {
  enabled: true,
  min: 1,
  max: 6,
  metric: 'cpu',
  targetCpuPercent: 50,
  targetP95Ms: 200,
  periodSeconds: 5,
  scaleUpStabilizationSeconds: 0,
  scaleDownStabilizationSeconds: 30,
};
const at = (s: number) => s * 1000;

describe('the HPA rule', () => {
  it('scales by ceil(current × metric / target), as the Kubernetes docs example', () => {
    // docs: current 200m, target 100m, 1 replica -> 2; here 2 instances at 75% of a 50% target -> 3
    expect(decide({ now: 0, current: 1, reading: 100, settings, history: [] }).desired).toBe(2);
    const d = decide({ now: 0, current: 2, reading: 75, settings, history: [] });
    expect(d.desired).toBe(3);
    expect(d.reason).toBe('CPU 75% vs target 50%: ceil(2 × 1.5) = 3');
  });

  it('does nothing within the 10% tolerance', () => {
    const d = decide({ now: 0, current: 4, reading: 54, settings, history: [] });
    expect(d.desired).toBe(4);
    expect(d.reason).toMatch(/within the 10% tolerance/);
    // just outside it: ceil(4 × 1.12) = 5
    expect(decide({ now: 0, current: 4, reading: 56, settings, history: [] }).desired).toBe(5);
  });

  it('clamps to min and max and says so', () => {
    const up = decide({ now: 0, current: 3, reading: 500, settings, history: [] });
    expect(up.desired).toBe(6);
    expect(up.reason).toMatch(/= 30, capped at max 6/);
    const s = { ...settings, min: 2, scaleDownStabilizationSeconds: 0 };
    expect(decide({ now: 0, current: 3, reading: 1, settings: s, history: [] }).desired).toBe(2);
  });

  it('scales down no lower than the highest recommendation of the scale-down window', () => {
    let history: Recommendation[] = [];
    const step = (s: number, current: number, reading: number) => {
      const d = decide({ now: at(s), current, reading, settings, history });
      history = d.history;
      return d;
    };
    expect(step(0, 2, 100).desired).toBe(4); // the spike
    const quiet = step(5, 4, 10); // wants 1, but 4 was recommended 5 s ago
    expect(quiet.raw).toBe(1);
    expect(quiet.desired).toBe(4);
    expect(quiet.reason).toMatch(/held at 4 by the 30 s scale-down window/);
    expect(step(25, 4, 10).desired).toBe(4);
    // 31 s after the spike's recommendation it has left the window
    expect(step(31, 4, 10).desired).toBe(1);
  });

  it('scales up no higher than the lowest recommendation of a scale-up window', () => {
    const s = { ...settings, scaleUpStabilizationSeconds: 10 };
    const first = decide({ now: at(0), current: 2, reading: 40, settings: s, history: [] });
    expect(first.desired).toBe(2);
    const spike = decide({ now: at(5), current: 2, reading: 150, settings: s, history: first.history });
    expect(spike.raw).toBe(6);
    expect(spike.desired).toBe(2); // 2 was recommended 5 s ago
    const later = decide({ now: at(16), current: 2, reading: 150, settings: s, history: spike.history });
    expect(later.desired).toBe(6);
  });

  it("limits a scale-up to the HPA's default policy: double, or four more", () => {
    const s = { ...settings, max: 8 };
    const d = decide({ now: 0, current: 1, reading: 1000, settings: s, history: [] });
    expect(d.desired).toBe(5);
    expect(d.reason).toMatch(/at most 5 this period/);
  });

  it('follows p95 latency as an external metric', () => {
    const s = { ...settings, metric: 'p95' as const };
    const d = decide({ now: 0, current: 2, reading: 420, settings: s, history: [] });
    expect(d.desired).toBe(5);
    expect(d.reason).toMatch(/^p95 420 ms vs target 200 ms/);
  });

  it('without a reading keeps the count, but still brings it inside min and max', () => {
    expect(decide({ now: 0, current: 3, reading: null, settings, history: [] }).desired).toBe(3);
    const out = decide({ now: 0, current: 8, reading: null, settings, history: [] });
    expect(out.desired).toBe(6);
    expect(out.reason).toMatch(/outside 1–6/);
  });

  it('forgets recommendations older than both windows', () => {
    const old = [{ t: at(0), instances: 6 }];
    const d = decide({ now: at(100), current: 2, reading: 50, settings, history: old });
    expect(d.history).toEqual([{ t: at(100), instances: 2 }]);
  });
});
