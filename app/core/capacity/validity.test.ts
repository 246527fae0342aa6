// The measurement verdict: a run whose generator kept its schedule is sound; one where it was the
// bottleneck in more than a tenth of the seconds, or dropped more than 1% of its requests, is
// distorted, with the reason in words; latency says how it was measured.
import { describe, expect, it } from 'vitest';
import { verdictLine } from '../../contract/measurement.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';
import { measurementVerdict } from './validity.js';

const second = (i: number, o: { saturated?: boolean; dropped?: number; late?: number } = {}): TimelinePoint => ({
  t: i * 1000,
  v: {
    [SERIES.sent]: 100,
    [SERIES.dropped]: o.dropped ?? 0,
    [SERIES.genSaturated]: o.saturated ? 1 : 0,
    [SERIES.genLateMs]: o.late ?? 2,
    [SERIES.genCpu]: 30,
  },
});

describe('the measurement verdict', () => {
  it('is sound when the generator kept its schedule', () => {
    const m = measurementVerdict(
      Array.from({ length: 30 }, (_, i) => second(i, { saturated: i === 3 })),
      'builtin',
    );
    expect(m.verdict).toBe('sound');
    expect(m.saturatedSeconds).toBe(1);
    expect(m.latencyFrom).toBe('scheduled');
    expect(verdictLine(m)).toMatch(/^sound: .*coordinated omission corrected/);
  });

  it('is distorted when the generator was the bottleneck in more than a tenth of the seconds', () => {
    const m = measurementVerdict(
      Array.from({ length: 30 }, (_, i) => second(i, { saturated: i % 3 === 0, late: 400 })),
      'builtin',
    );
    expect(m.verdict).toBe('distorted');
    expect(m.reasons).toEqual([expect.stringMatching(/bottleneck in 10 of 30 seconds/)]);
    expect(m.lateMsMax).toBe(400);
    expect(verdictLine(m)).toMatch(/^DISTORTED: .*about the load generator, not the stack/);
  });

  it('is distorted when the open model dropped more than 1% of its requests; k6 latency is not corrected', () => {
    const m = measurementVerdict(
      Array.from({ length: 10 }, (_, i) => second(i, { dropped: i === 5 ? 30 : 0 })),
      'k6',
    );
    expect(m.verdict).toBe('distorted');
    expect(m.reasons).toEqual(['the open model dropped 30 of 1030 requests it was due to send']);
    expect(m.latencyFrom).toBe('sent');
  });

  it('judges every generator of a split run: one that dropped its part, or measured short of its segment', () => {
    const points = Array.from({ length: 10 }, (_, i) => second(i));
    const g = (name: string, segment: string, requests: number, dropped = 0) => ({
      name,
      segment,
      requests,
      failed: 0,
      dropped,
      exitCode: 0,
    });
    const even = [g('k6-1', '0:1/3', 334), g('k6-2', '1/3:2/3', 333), g('k6-3', '2/3:1', 333)];
    expect(measurementVerdict(points, 'k6', even).verdict).toBe('sound');
    const m = measurementVerdict(points, 'k6', [
      g('k6-1', '0:1/3', 400),
      g('k6-2', '1/3:2/3', 100, 40),
      g('k6-3', '2/3:1', 400),
    ]);
    expect(m.verdict).toBe('distorted');
    expect(m.reasons).toEqual([
      'generator k6-2 dropped 40 of the 140 requests of its segment (1/3:2/3)',
      'generator k6-2 measured 100 responses where its segment (1/3:2/3) is 300 of them',
    ]);
  });
});
