// Keeping a long run's points in the UI: the last minutes at full resolution, older ones thinned,
// so an hour-long run draws as fast as a one-minute run and memory stays flat. The run store
// keeps every second; this is only what the charts hold.
import { sortedSeries, type TimelinePoint } from '../../contract/runs.js';

export const RECENT_POINTS = 300;
export const MAX_POINTS = 900;

/** Appends a point (its keys sorted: runs recorded before keys were sorted, and replays of them,
 *  would otherwise cost eight times the memory); past MAX_POINTS, every other point older than
 *  the recent ones is dropped. */
export function appendPoint(points: TimelinePoint[], p: TimelinePoint): TimelinePoint[] {
  const v = sortedSeries(p.v);
  const next = [...points, v === p.v ? p : { t: p.t, v }];
  if (next.length <= MAX_POINTS) return next;
  const cut = next.length - RECENT_POINTS;
  return [...next.slice(0, cut).filter((_, i) => i % 2 === 0), ...next.slice(cut)];
}
