// bench:traffic, part 4: a rolling deploy's duration and the requests it failed (target 0). Three
// API instances under the read-heavy workload at 100/s; v2 built from the API as built; the deploy
// applied after 3 s, timed from the apply to its return; beside it, the reference: one instance
// replaced the same way with no load (drain, then start and health), the floor of each step.
import { createLab } from '../../app/core/create-lab.js';
import { FAMILY } from '../../app/contract/series.js';
import { getPreset } from '../../app/core/topology/presets.js';

const STACK = 'bench-deploy';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deployCost(dataDir: string): Promise<void> {
  const lab = createLab({ stack: STACK, dataDir });
  const topology = structuredClone(getPreset('load-balanced').topology);
  topology.ports = { entry: 0, edge: 0, tls: 0 };
  console.log('\n4. a rolling deploy: three instances, read-heavy at 100/s');
  await lab.api.stack.up({ topology });
  try {
    await lab.api.stack.buildVersion({ name: 'v2' });
    await lab.api.stack.buildVersion({ name: 'v3' });
    // The reference: one instance rolled with no load (scale to 1, deploy, back to 3).
    await lab.api.stack.apply({ set: { 'api.instances': 1 } });
    let t = performance.now();
    await lab.api.stack.apply({ set: { 'api.version': 'v3' } });
    const one = performance.now() - t;
    await lab.api.stack.apply({ set: { 'api.instances': 3 } });

    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'read-heavy')!);
    w.rate = { kind: 'constant', rate: 100, durationSeconds: 25 };
    const started = await lab.api.load.start({ workload: w });
    await sleep(3000);
    t = performance.now();
    await lab.api.stack.apply({ set: { 'api.version': 'v2' } });
    const rolled = performance.now() - t;
    await lab.runDone();
    const data = await lab.api.runs.open({ id: started.id });
    const served = (v: string) => data.timeline.reduce((n, p) => n + (p.v[FAMILY.versionCount.key(v)] ?? 0), 0);
    console.log('what                                      measured');
    console.log(`reference: one instance rolled, no load   ${(one / 1000).toFixed(1)} s`);
    console.log(`rolling deploy of 3 instances at 100/s     ${(rolled / 1000).toFixed(1)} s`);
    console.log(
      `requests failed during the run            ${data.run.summary!.failed} of ${data.run.summary!.requests} (v3 answered ${served('v3')}, v2 ${served('v2')})`,
    );
    console.log(`p99 over the run                          ${data.run.summary!.latency!.p99.toFixed(1)} ms`);
  } finally {
    await lab.api.stack.down();
  }
}
