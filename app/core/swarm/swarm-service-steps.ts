// Swarm's own steps for one service: make it, then wait until its replicas all run (each task's
// own health check passed, on whichever node it landed), or say why not; and the overlay they join.
import type Docker from 'dockerode';
import { containerLogs, isConflict } from '../runtime/docker-client.js';
import { UnhealthyError } from '../runtime/errors.js';
import { LABEL, networkName } from '../runtime/names.js';
import type { Topology } from '../topology/schema.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { untrustedRegistryHint } from './registry.js';
import type { SwarmNodeInfo } from './swarm-check.js';
import type { SwarmTaskInfo } from './swarm-status.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createService(
  docker: Docker,
  s: Docker.CreateServiceOptions,
  onProgress: ProgressSink,
): Promise<void> {
  const name = s.Labels![LABEL.service];
  onProgress({ service: name, phase: 'create', message: `Swarm service ${s.Name}`, at: Date.now() });
  try {
    await docker.createService(s);
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
}

/** Until the service's replicas all run: Swarm marks a task running once its own health check
 *  (swarmHealthcheck) passes on whichever node it landed, so this reads alike for every node. */
export async function waitTasks(
  docker: Docker,
  s: Docker.ServiceSpec,
  onProgress: ProgressSink,
  timeoutMs: number,
): Promise<void> {
  const name = s.Labels![LABEL.service];
  const replicas = s.Mode?.Replicated?.Replicas ?? 1;
  const deadline = Date.now() + timeoutMs;
  onProgress({ service: name, phase: 'health', message: `waiting for ${replicas} task(s)`, at: Date.now() });
  for (;;) {
    const tasks = (await docker.listTasks({ filters: { service: [s.Name!] } })) as SwarmTaskInfo[];
    const wanted = tasks.filter((t) => t.DesiredState === 'running');
    // Scaled down, a task told to stop runs until its grace period ends: not done before it has.
    // A task on a node that is down stays "running" as last heard of: it runs nowhere.
    const down = new Set(
      ((await docker.listNodes()) as SwarmNodeInfo[]).filter((n) => n.Status?.State !== 'ready').map((n) => n.ID),
    );
    const running = tasks.filter((t) => t.Status?.State === 'running' && !down.has(t.NodeID ?? ''));
    if (wanted.length === replicas && running.length === replicas && wanted.every((t) => t.Status?.State === 'running'))
      break;
    if (Date.now() > deadline) throw await unhealthy(docker, s, wanted);
    await sleep(300);
  }
  onProgress({ service: name, phase: 'ready', message: `${replicas} task(s) healthy`, at: Date.now() });
}

async function unhealthy(docker: Docker, s: Docker.ServiceSpec, tasks: SwarmTaskInfo[]): Promise<Error> {
  const why = tasks.map((t) => t.Status?.Err ?? t.Status?.State).filter(Boolean);
  // A node that cannot pull from a plain-HTTP registry says so in its task's error.
  const image = (s.TaskTemplate as { ContainerSpec?: { Image?: string } }).ContainerSpec?.Image ?? '';
  if (why.some((w) => /No such image|HTTP response to HTTPS client/.test(w!)) && image.includes('/scalelab/'))
    why.push(untrustedRegistryHint(image.slice(0, image.indexOf('/scalelab/'))));
  // The first task's log where it runs on this node (another node's engine is not ours to ask).
  const container = tasks.find((t) => t.Status?.ContainerStatus?.ContainerID)?.Status?.ContainerStatus?.ContainerID;
  const logs = container ? await containerLogs(docker.getContainer(container), 30).catch(() => '') : '';
  return new UnhealthyError(s.Labels![LABEL.service], `its tasks did not all answer (${why.join('; ')})`, logs);
}

/** The stack's overlay: attachable, as the entry points are plain containers that join it. */
export async function ensureOverlay(docker: Docker, stack: string, t: Topology, appVersion: string): Promise<void> {
  try {
    await docker.createNetwork({
      Name: networkName(stack),
      Driver: 'overlay',
      // The balancer, a plain container, joins it: the overlay must take containers.
      Attachable: true,
      CheckDuplicate: true,
      Labels: { [LABEL.stack]: stack, [LABEL.version]: appVersion, [LABEL.topology]: JSON.stringify(t) },
    });
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
}

/** A service's replicas set, all else kept (its spec read back first: Swarm wants its version). */
export async function scaleService(docker: Docker, id: string, replicas: number): Promise<void> {
  const svc = docker.getService(id);
  const info = (await svc.inspect()) as { Version: { Index: number }; Spec: Docker.ServiceSpec };
  await svc.update({ ...info.Spec, Mode: { Replicated: { Replicas: replicas } }, version: info.Version.Index });
}
