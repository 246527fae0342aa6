// Global setup of the docker test project: is an engine reachable? With SCALELAB_REQUIRE_DOCKER=1
// (CI) "no engine" fails the run instead of skipping. Builds the role images once, up front.
import type { TestProject } from 'vitest/node';
import { resolveConfig, prepareApiBundle } from '../config.js';
import { DockerRuntime } from '../runtime/docker-runtime.js';
import { getPreset } from '../topology/presets.js';
import { LABEL } from '../runtime/names.js';
import { swarmFacts, swarmProblem } from '../swarm/swarm-check.js';
import { removeLeftoverNodes } from './swarm-nodes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerAvailable: boolean;
    /** The engine is a Swarm manager: the Swarm target's tests run (CI makes it one: .ci/run). */
    swarmAvailable: boolean;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const config = resolveConfig({ dataDir: '/tmp/scalelab-test-setup' });
  const runtime = new DockerRuntime({ ...config, prepareApiBundle: () => prepareApiBundle(config.stackDir) });
  try {
    await runtime.ping();
  } catch (err) {
    if (process.env.SCALELAB_REQUIRE_DOCKER === '1') throw err;
    console.warn(
      `\n*** Docker tests SKIPPED: ${(err as Error).message.split('\n')[0]} (set SCALELAB_REQUIRE_DOCKER=1 to fail instead)\n`,
    );
    project.provide('dockerAvailable', false);
    project.provide('swarmAvailable', false);
    return;
  }
  const swarm = swarmProblem(await swarmFacts(runtime.docker));
  if (swarm && process.env.SCALELAB_REQUIRE_DOCKER === '1') throw swarm;
  if (swarm) console.warn(`\n*** Swarm tests SKIPPED: ${swarm.message} ${swarm.hint ?? ''}\n`);
  project.provide('swarmAvailable', !swarm);
  // A multi-node test cut short leaves its node containers (and their Swarm nodes, down).
  if (!swarm) await removeLeftoverNodes(runtime.docker);
  // A Swarm test stack cut short leaves services that Swarm keeps running: removed first.
  for (const s of await runtime.docker.listServices({ filters: { label: [LABEL.stack] } }))
    if (s.Spec?.Labels?.[LABEL.stack]?.startsWith('t-')) await runtime.docker.getService(s.ID).remove();
  // Leftovers of an interrupted test run would hold names and ports.
  await runtime.reap();
  for (const stack of await runtime.listStacks()) if (stack.startsWith('t-')) await runtime.down(stack);
  await runtime.prepareImages(getPreset('full').topology, (e) => {
    if (e.progress === 1) console.log(`built ${e.service}`);
  });
  project.provide('dockerAvailable', true);
}
