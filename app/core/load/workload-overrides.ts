// --rate and --duration over a workload: a constant rate replaces the profile; a duration caps it.
import { parseWorkload, workloadDuration, type Workload } from './workload-schema.js';

export function applyOverrides(w: Workload, o: { rate?: number; durationSeconds?: number }): Workload {
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
