// Draining a Swarm node (or making it active again) under a running stack: Swarm moves the
// node's tasks; done once every task there has been told to stop and the stack runs whole again.
import type Docker from 'dockerode';
import type { NodeAvailability } from '../../contract/stack.js';
import { LABEL } from '../runtime/names.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { drainProblem, type SwarmFacts } from './swarm-check.js';
import { pinnedDrainProblem, pinsOf } from './swarm-placement.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function changeAvailability(
  docker: Docker,
  facts: SwarmFacts,
  stack: string,
  hostname: string,
  availability: NodeAvailability,
  o: {
    dbNodeLabel?: string;
    /** The stack's services as they run now. */
    services: () => Promise<Docker.Service[]>;
    timeoutMs: number;
    /** Until this service's tasks all run. */
    waitTasks: (s: Docker.ServiceSpec) => Promise<void>;
    onProgress: ProgressSink;
  },
): Promise<{ movedTasks: number; ms: number }> {
  // Refused, changing nothing, when draining would leave the stack or its database nowhere to run.
  if (availability === 'drain') {
    const problem =
      drainProblem(facts, hostname, o.dbNodeLabel) ?? pinnedDrainProblem(pinsOf(await o.services()), hostname);
    if (problem) throw problem;
  }
  const node = facts.listing.find((n) => n.Description?.Hostname === hostname);
  if (!node) throw drainProblem(facts, hostname)!;
  const started = Date.now();
  const on = await docker.listTasks({
    filters: { node: [node.ID], label: [`${LABEL.stack}=${stack}`], 'desired-state': ['running'] },
  });
  const handle = docker.getNode(node.ID);
  const info = (await handle.inspect()) as { Version: { Index: number }; Spec: object };
  o.onProgress({ service: hostname, phase: 'update', message: `availability ${availability}`, at: Date.now() });
  await handle.update({ ...info.Spec, Availability: availability, version: info.Version.Index });
  // Drained: first until Swarm has told every task there to stop, then until their
  // replacements elsewhere run (and a stopping task has stopped).
  const deadline = Date.now() + o.timeoutMs;
  while (availability === 'drain' && Date.now() < deadline) {
    const left = await docker.listTasks({
      filters: { node: [node.ID], label: [`${LABEL.stack}=${stack}`], 'desired-state': ['running'] },
    });
    if (!left.length) break;
    await sleep(300);
  }
  for (const s of await o.services()) await o.waitTasks(s.Spec!);
  return { movedTasks: availability === 'drain' ? on.length : 0, ms: Date.now() - started };
}
