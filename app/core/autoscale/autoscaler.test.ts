import { describe, expect, it } from 'vitest';
import type { AutoscaleMarker, TimelinePoint } from '../../contract/runs.js';
import { SERIES, seriesKey } from '../../contract/series.js';
import type { Topology } from '../../contract/topology.js';
import { parseTopology } from '../topology/schema.js';
import { Autoscaler, readingOf } from './autoscaler.js';

const point = (t: number, cpu: Record<string, number>, p95?: number): TimelinePoint => ({
  t,
  v: {
    ...Object.fromEntries(Object.entries(cpu).map(([s, v]) => [seriesKey.container(s, 'cpu'), v])),
    ...(p95 === undefined ? {} : { [SERIES.p95]: p95 }),
  },
});

describe('the reading the rule is given', () => {
  it("is the API containers' summed CPU over their summed limits, averaged over the period", () => {
    const pts = [point(0, { 'api-1': 90, 'api-2': 50, 'db-primary': 300 }), point(1000, { 'api-1': 70, 'api-2': 30 })];
    // limit 0.5 CPU each: (140 / 1.0 + 100 / 1.0) / 2 = 120% of the limit
    expect(readingOf(pts, 'cpu', 0.5)).toBe(120);
    expect(readingOf([point(0, {}, 250), point(1000, {}, 150)], 'p95', 1)).toBe(200);
    expect(readingOf([point(0, { 'db-primary': 50 })], 'cpu', 1)).toBeNull();
  });
});

describe('the autoscaler', () => {
  function harness(autoscale: Partial<Topology['api']['autoscale']>, instances = 1) {
    let now = 0;
    let topology = parseTopology({ api: { instances, cpus: 1, autoscale: { enabled: true, max: 4, ...autoscale } } });
    const markers: Array<{ label: string; detail: AutoscaleMarker }> = [];
    const scaled: number[] = [];
    const scaler = new Autoscaler({
      topology: async () => topology,
      scale: async (n) => {
        scaled.push(n);
        now += 4000; // the new instances take 4 s to serve
        topology = { ...topology, api: { ...topology.api, instances: n } };
      },
      record: (label, detail) => markers.push({ label, detail }),
      now: () => now,
    });
    /** A second of load: every API instance at this CPU. */
    const second = async (cpu: number) => {
      now += 1000;
      const cpus = Object.fromEntries(Array.from({ length: topology.api.instances }, (_, i) => [`api-${i + 1}`, cpu]));
      scaler.observe(point(now, cpus));
      await scaler.idle();
    };
    return { scaler, markers, scaled, second, instances: () => topology.api.instances };
  }

  it('scales up on a busy period, says why, and says when the new instances serve', async () => {
    const h = harness({ targetCpuPercent: 50, periodSeconds: 5 });
    for (let i = 0; i < 6; i++) await h.second(100);
    expect(h.scaled).toEqual([2]);
    expect(h.markers.map((m) => m.detail.phase)).toEqual(['decided', 'serving']);
    expect(h.markers[0].label).toBe('autoscale 1 → 2: CPU 100% vs target 50%: ceil(1 × 2) = 2');
    expect(h.markers[1].detail.tookMs).toBe(4000);
    expect(h.markers[1].label).toMatch(/2 instances, the 1 serving 4\.0 s after the decision/);
    expect(h.scaler.series()).toEqual({
      [SERIES.autoscaleDesired]: 2,
      [SERIES.autoscaleRecommended]: 2,
      [SERIES.autoscaleReading]: 100,
    });
  });

  it('scales down only once the scale-down window has passed', async () => {
    const h = harness({ targetCpuPercent: 50, periodSeconds: 5, scaleDownStabilizationSeconds: 20 }, 3);
    await h.second(50); // the first period starts
    for (let i = 0; i < 5; i++) await h.second(50); // on target: 3 recommended
    expect(h.scaled).toEqual([]);
    for (let i = 0; i < 15; i++) await h.second(10); // quiet: 1 recommended, held at 3
    expect(h.scaled).toEqual([]);
    for (let i = 0; i < 10; i++) await h.second(10);
    expect(h.scaled).toEqual([1]);
    expect(h.markers[0].label).toMatch(/^autoscale 3 → 1: CPU 10% vs target 50%/);
  });

  it('does nothing while switched off, and starts counting its period when switched on', async () => {
    const h = harness({ enabled: false });
    for (let i = 0; i < 10; i++) await h.second(100);
    expect(h.scaled).toEqual([]);
    expect(h.scaler.series()).toEqual({});
  });

  it('marks a scaling that failed and keeps going', async () => {
    let calls = 0;
    let now = 0;
    const markers: string[] = [];
    const scaler = new Autoscaler({
      topology: async () => parseTopology({ api: { instances: 1, autoscale: { enabled: true, periodSeconds: 1 } } }),
      scale: async () => {
        calls++;
        throw new Error('port 8080 in use');
      },
      record: (label) => markers.push(label),
      now: () => now,
    });
    const second = async () => {
      now += 1000;
      scaler.observe(point(now, { 'api-1': 100 }));
      await scaler.idle();
    };
    for (let i = 0; i < 3; i++) await second();
    expect(calls).toBe(1);
    expect(markers).toEqual([
      expect.stringMatching(/^autoscale 1 → 2: CPU 100%/),
      'autoscale 1 → 2 failed: port 8080 in use (the rule tries again in 30 s)',
    ]);
    for (let i = 0; i < 30; i++) await second();
    expect(calls).toBe(2);
  });
});
