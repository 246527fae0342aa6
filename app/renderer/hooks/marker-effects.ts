// What each switch or fault did: p95, throughput, errors and hit ratio over the seconds before it
// against the seconds after (skipping the second it happened in).
import { SERIES } from '../../contract/series.js';
import type { RunEvent, TimelinePoint } from '../../contract/runs.js';

export const EFFECT_WINDOW_S = 10;
const FIGURES: Array<[string, string]> = [
  ['p95', SERIES.p95],
  ['rps', SERIES.rps],
  ['errors', SERIES.errorRate],
  ['hit', SERIES.redisHitRatio],
];

export interface MarkerEffect {
  event: RunEvent;
  before: Record<string, number | null>;
  after: Record<string, number | null>;
  afterSeconds: number;
}

function mean(points: TimelinePoint[], key: string): number | null {
  const xs = points.map((p) => p.v[key]).filter((x): x is number => typeof x === 'number');
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}

export function markerEffects(points: TimelinePoint[], events: RunEvent[], windowS = EFFECT_WINDOW_S): MarkerEffect[] {
  return events.map((event) => {
    const before = points.filter((p) => p.t < event.t - 1000 && p.t >= event.t - (windowS + 1) * 1000);
    const after = points.filter((p) => p.t > event.t + 1000 && p.t <= event.t + (windowS + 1) * 1000);
    return {
      event,
      afterSeconds: after.length,
      before: Object.fromEntries(FIGURES.map(([name, key]) => [name, mean(before, key)])),
      after: Object.fromEntries(FIGURES.map(([name, key]) => [name, mean(after, key)])),
    };
  });
}
