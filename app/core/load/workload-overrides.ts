// --rate, --duration and --keys over a workload: a constant rate replaces the profile; a duration
// caps it; a key distribution replaces the workload's own (uniform against Zipf, one workload).
import type { KeyDistribution } from '../../contract/load.js';
import { parseWorkload, workloadDuration, type Workload } from './workload-schema.js';

export function applyOverrides(
  base: Workload,
  o: { rate?: number; durationSeconds?: number; keys?: KeyDistribution },
): Workload {
  const w =
    o.keys && o.keys !== base.keys.distribution
      ? parseWorkload({ ...base, keys: { ...base.keys, distribution: o.keys } }, 'workload (with --keys)')
      : base;
  const duration = o.durationSeconds ?? workloadDuration(w);
  if (o.rate !== undefined)
    return parseWorkload(
      { ...w, rate: { kind: 'constant', rate: o.rate, durationSeconds: duration } },
      'workload (with --rate)',
    );
  if (o.durationSeconds === undefined) return w;
  if (w.rate.kind === 'constant')
    return parseWorkload({ ...w, rate: { ...w.rate, durationSeconds: duration } }, 'workload (with --duration)');
  const stages: Array<{ durationSeconds: number; targetRate: number }> = [];
  let left = duration;
  for (const st of w.rate.stages) {
    if (left <= 0) break;
    const d = Math.min(st.durationSeconds, left);
    // A cut stage ends at the rate it had reached when cut.
    const from = stages.length ? stages[stages.length - 1].targetRate : w.rate.startRate;
    stages.push({
      durationSeconds: d,
      targetRate: d === st.durationSeconds ? st.targetRate : from + ((st.targetRate - from) * d) / st.durationSeconds,
    });
    left -= d;
  }
  return parseWorkload({ ...w, rate: { ...w.rate, stages } }, 'workload (with --duration)');
}
