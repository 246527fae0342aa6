// bench:traffic, part 4: each deploy strategy's duration and the requests it failed (target 0).
// Three API instances under the read-heavy workload at 100/s; versions built from the API as
// built (v4-broken with +80 ms and 20% errors); each deploy started 3 s into its own run, timed
// from the call to its return. A rolling deploy to v2, blue-green to v3, a canary back to v2
// (steps 10,50,100 of 5 s), and a canary of v4-broken that must roll itself back: the time from
// its first step to the rollback is its detection time. Beside them, the reference: one instance
// replaced with no load (drain, then start and health), the floor of each step.
import { createLab, type Lab } from '../../app/core/create-lab.js';
import type { DeployRequest, DeployResult } from '../../app/contract/deploy.js';
import type { RunData } from '../../app/contract/runs.js';
import { getPreset } from '../../app/core/topology/presets.js';

const STACK = 'bench-deploy';
const RATE = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function underLoad(lab: Lab, req: DeployRequest): Promise<{ res: DeployResult; data: RunData; ms: number }> {
  const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'read-heavy')!);
  w.rate = { kind: 'constant', rate: RATE, durationSeconds: 180 };
  const started = await lab.api.load.start({ workload: w });
  await sleep(3000);
  const t = performance.now();
  try {
    const res = await lab.api.stack.deploy(req);
    const ms = performance.now() - t;
    await sleep(2000);
    return { res, data: await stop(lab, started.id), ms };
  } finally {
    await lab.api.load.stop().catch(() => undefined);
  }
}

async function stop(lab: Lab, id: string): Promise<RunData> {
  await lab.api.load.stop();
  await lab.runDone();
  return lab.api.runs.open({ id });
}

export async function deployCost(dataDir: string): Promise<void> {
  const lab = createLab({ stack: STACK, dataDir });
  const topology = structuredClone(getPreset('load-balanced').topology);
  topology.ports = { entry: 0, edge: 0, tls: 0 };
  console.log(`\n4. deploys: three instances, read-heavy at ${RATE}/s`);
  await lab.api.stack.up({ topology });
  try {
    await lab.api.stack.buildVersion({ name: 'v2' });
    await lab.api.stack.buildVersion({ name: 'v3' });
    await lab.api.stack.buildVersion({ name: 'v4-broken', latencyMs: 80, errorRate: 0.2 });
    // The reference: one instance rolled with no load (scale to 1, deploy, back to 3).
    await lab.api.stack.apply({ set: { 'api.instances': 1 } });
    const t = performance.now();
    await lab.api.stack.apply({ set: { 'api.version': 'v3' } });
    const one = performance.now() - t;
    await lab.api.stack.apply({ set: { 'api.version': 'v1', 'api.instances': 3 } });

    const rows: string[] = [];
    const row = (what: string, r: { res: DeployResult; data: RunData; ms: number }, extra = '') =>
      rows.push(
        `${what.padEnd(44)} ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.res.outcome.padEnd(11)} ${`${r.data.run.summary!.failed} of ${r.data.run.summary!.requests}`.padEnd(12)} p99 ${r.data.run.summary!.latency!.p99.toFixed(1)} ms${extra}`,
      );
    row('rolling v1 → v2', await underLoad(lab, { version: 'v2', strategy: 'rolling' }));
    const bg = await underLoad(lab, { version: 'v3', strategy: 'blue-green', stepSeconds: 5 });
    const switched = bg.res.markers.find((m) => m.phase === 'switched')?.elapsedMs ?? 0;
    row('blue-green v2 → v3 (watched 5 s)', bg, `, switched at ${(switched / 1000).toFixed(1)} s`);
    const steps = [10, 50, 100];
    row(
      'canary v3 → v2 (10,50,100, 5 s steps)',
      await underLoad(lab, { version: 'v2', strategy: 'canary', steps, stepSeconds: 5 }),
    );
    const bad = await underLoad(lab, { version: 'v4-broken', strategy: 'canary', steps, stepSeconds: 5 });
    const first = bad.res.markers.find((m) => m.phase === 'step')?.elapsedMs ?? 0;
    const back = bad.res.markers.find((m) => m.phase === 'rolled-back')?.elapsedMs ?? 0;
    row(
      'canary v2 → v4-broken (must roll back)',
      bad,
      `, caught ${((back - first) / 1000).toFixed(1)} s after its first step (failed: its own 500s)`,
    );
    console.log('what                                          took   outcome     failed       ');
    console.log(`reference: one instance rolled, no load       ${(one / 1000).toFixed(1).padStart(5)} s`);
    for (const r of rows) console.log(r);
  } finally {
    await lab.api.stack.down();
  }
}
