// A Swarm task's container seen as one of the stack's containers: Swarm does not template
// container labels, so an API task's service label reads "api-{{.Task.Slot}}" and is resolved
// here from the task's name (<service>.<slot>.<task id>); its ports are reached at its address on
// docker_gwbridge, a bridge of this host alone (Swarm publishes through its routing mesh on every
// address, never on 127.0.0.1 only). Tasks Swarm has replaced are left out while their
// replacement runs. Containers of the local engine pass through unchanged.
import type Docker from 'dockerode';
import { LABEL } from './names.js';

type ContainerInfo = Docker.ContainerInfo;

const TASK_NAME = 'com.docker.swarm.task.name';
/** Set on a resolved task: its address on docker_gwbridge, where its ports answer this host. */
export const GATEWAY_LABEL = 'scalelab.gateway-ip';
const SLOT = '{{.Task.Slot}}';

export const isSwarmTask = (c: ContainerInfo) => TASK_NAME in (c.Labels ?? {});

/** "scalelab-s-api.2.k9gk…" → "2". */
export const taskSlot = (taskName: string) => taskName.split('.').at(-2) ?? '';

/** The stack's containers with their Swarm tasks resolved (pure: the gateway addresses are given). */
export function resolveTasks(list: ContainerInfo[], gateways: Map<string, string>): ContainerInfo[] {
  const resolved = list.map((c) => {
    if (!isSwarmTask(c)) return c;
    const service = (c.Labels[LABEL.service] ?? '').replace(SLOT, taskSlot(c.Labels[TASK_NAME]));
    const ip = gateways.get(c.Id);
    return { ...c, Labels: { ...c.Labels, [LABEL.service]: service, ...(ip ? { [GATEWAY_LABEL]: ip } : {}) } };
  });
  const running = new Set(resolved.filter((c) => isSwarmTask(c) && c.State === 'running').map(nameOf));
  const newest = new Map<string, number>();
  for (const c of resolved) if (isSwarmTask(c)) newest.set(nameOf(c), Math.max(newest.get(nameOf(c)) ?? 0, c.Created));
  return resolved.filter(
    (c) => !isSwarmTask(c) || (running.has(nameOf(c)) ? c.State === 'running' : c.Created === newest.get(nameOf(c))),
  );
}

const nameOf = (c: ContainerInfo) => c.Labels[LABEL.service];

/** Container id → its address on docker_gwbridge (none when Swarm is off or the task is not running). */
export async function gatewayAddresses(docker: Docker): Promise<Map<string, string>> {
  try {
    const net = (await docker.getNetwork('docker_gwbridge').inspect()) as {
      Containers?: Record<string, { IPv4Address?: string }>;
    };
    return new Map(
      Object.entries(net.Containers ?? {})
        .filter(([, v]) => v.IPv4Address)
        .map(([id, v]) => [id, v.IPv4Address!.split('/')[0]]),
    );
  } catch {
    return new Map();
  }
}
