// bench:traffic, part 2: the autoscaler's reaction. The `autoscaling` preset (one API instance at
// 0.5 CPU, the HPA rule at 50% CPU every 5 s, a 30 s scale-down window) under the shipped spike
// workload (50/s, 600/s for 25 s, 50/s for 45 s), measured from the run's own timeline and
// markers: the spike to the decision, to the new instances serving, p95 meanwhile and after, and
// the quiet to the capacity handed back. Beside it, the reference: the same scale-up applied by
// hand with no load (how long an instance takes to start and pass its health check).
import type { AutoscaleMarker, RunData, RunEvent } from '../../app/contract/runs.js';
import { SERIES } from '../../app/contract/series.js';
import { createLab } from '../../app/core/create-lab.js';
import { getPreset } from '../../app/core/topology/presets.js';

const STACK = 'bench-autoscale';
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function markers(data: RunData) {
  return data.events
    .filter((e): e is RunEvent & { detail: AutoscaleMarker } => e.kind === 'autoscale')
    .map((e) => ({ t: e.t, label: e.label, ...e.detail }));
}

/** The highest p95 (ms) of the seconds in [from, to). */
function peakP95(data: RunData, from: number, to: number): number | null {
  const v = data.timeline
    .filter((p) => p.t >= from && p.t < to)
    .map((p) => p.v[SERIES.p95])
    .filter((x): x is number => typeof x === 'number');
  return v.length ? Math.max(...v) : null;
}

export async function autoscaleReaction(dataDir: string): Promise<void> {
  const lab = createLab({ stack: STACK, dataDir });
  const topology = structuredClone(getPreset('autoscaling').topology);
  topology.ports = { entry: 0, edge: 0, tls: 0 };
  console.log('\n2. autoscaling: the autoscaling preset under the spike workload (90 s)');
  await lab.api.stack.up({ topology });
  try {
    // The reference: a scale-up by hand, no load, no rule: the floor of any reaction.
    const t0 = performance.now();
    await lab.api.stack.apply({ set: { 'api.autoscale.enabled': false, 'api.instances': 2 } });
    const byHand = performance.now() - t0;
    await lab.api.stack.apply({ set: { 'api.instances': 1, 'api.autoscale.enabled': true } });

    const started = await lab.api.load.start({ workload: 'spike' });
    await lab.runDone();
    const data = await lab.api.runs.open({ id: started.id });
    const rate = (i: number) => data.timeline[i].v[SERIES.targetRate] ?? 0;
    const first = data.timeline.findIndex((_, i) => rate(i) > 50);
    const spikeAt = data.timeline[first]!.t;
    const quietAt = data.timeline[data.timeline.findIndex((_, i) => i > first && rate(i) <= 50)]!.t;
    const m = markers(data);
    const up = m.find((x) => x.phase === 'decided' && x.to > x.from);
    const upServing = m.find((x) => x.phase === 'serving' && x.to > x.from);
    const lastDown = m.filter((x) => x.phase === 'serving' && x.to < x.from).at(-1);
    const most = Math.max(...data.timeline.map((p) => p.v[SERIES.instancesServing] ?? 0));
    const before = peakP95(data, spikeAt - 10_000, spikeAt);
    const during = upServing ? peakP95(data, spikeAt, upServing.t) : null;
    const after = upServing ? peakP95(data, upServing.t + 3_000, quietAt) : null;

    console.log('what                                              measured');
    console.log(
      `reference: scale 1 → 2 by hand, no load            ${s(byHand)} (apply until the instance is healthy)`,
    );
    console.log(`spike → the rule decides to scale up               ${up ? s(up.t - spikeAt) : 'never'}`);
    console.log(`spike → the new instances serve                    ${upServing ? s(upServing.t - spikeAt) : 'never'}`);
    console.log(`most instances serving in one second               ${most}`);
    console.log(`p95 the 10 s before the spike (peak)               ${before?.toFixed(0) ?? '-'} ms`);
    console.log(`p95 from the spike until new capacity (peak)       ${during?.toFixed(0) ?? '-'} ms`);
    console.log(`p95 from then until the spike ends (peak)          ${after?.toFixed(0) ?? '-'} ms`);
    console.log(
      `quiet → back to ${lastDown?.to ?? '?'} instance(s) (30 s window)        ${lastDown ? s(lastDown.t - quietAt) : 'not within the run'}`,
    );
    console.log(
      `errors over the run                                ${((data.run.summary?.errorRate ?? 0) * 100).toFixed(2)}%`,
    );
    for (const x of m) console.log(`  ${s(x.t - spikeAt).padStart(7)}  ${x.label}`);
  } finally {
    await lab.api.stack.down();
  }
}
