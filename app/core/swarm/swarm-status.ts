// What Swarm says of a stack's tasks, as the console shows it (pure): each node with the tasks it
// runs, and the services with those on other nodes than this engine's (which it cannot reach).
import type { ServiceStatus, SwarmNode } from '../../contract/stack.js';
import { LABEL } from '../runtime/names.js';
import type { SwarmNodeInfo } from './swarm-check.js';

export type { SwarmNodeInfo };

export interface SwarmTaskInfo {
  ID?: string;
  NodeID?: string;
  DesiredState?: string;
  Slot?: number;
  Status?: { State?: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
  /** The task's addresses on each network it is attached to ("10.0.1.5/24"). */
  NetworksAttachments?: Array<{ Network?: { Spec?: { Name?: string } }; Addresses?: string[] }>;
}

/** A task's address on the stack's overlay: where the balancer (on that overlay) reaches it, so
 *  HAProxy's figures for it are found whatever node it runs on. */
export const taskAddress = (t: SwarmTaskInfo, network: string): string | undefined =>
  t.NetworksAttachments?.find((a) => a.Network?.Spec?.Name === network)?.Addresses?.[0]?.split('/')[0];

const taskName = (t: SwarmTaskInfo) =>
  (t.Spec?.ContainerSpec?.Labels?.[LABEL.service] ?? '?').replace('{{.Task.Slot}}', String(t.Slot ?? ''));

/** The local engine's services, each named with its node, and the stack's tasks running on other
 *  nodes as Swarm reports them (marked remote: this engine cannot reach inside them). */
export function withTasksElsewhere(
  local: ServiceStatus[],
  nodes: SwarmNodeInfo[],
  tasks: SwarmTaskInfo[],
  thisNode: string,
  network: string,
): ServiceStatus[] {
  const hostname = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
  const here = local.map((s) => ({ ...s, node: hostname.get(thisNode) }));
  const elsewhere = tasks
    .filter((t) => t.NodeID !== thisNode && t.Status?.State === 'running')
    .map((t): ServiceStatus => ({
      name: taskName(t),
      role: (t.Spec?.ContainerSpec?.Labels?.[LABEL.role] ?? 'api') as ServiceStatus['role'],
      container: t.Status?.ContainerStatus?.ContainerID ?? t.ID ?? '',
      state: 'running',
      health: 'healthy',
      ports: {},
      ip: taskAddress(t, network),
      node: hostname.get(t.NodeID ?? '') ?? t.NodeID,
      remote: true,
    }));
  const names = new Set(elsewhere.map((s) => s.name));
  // A task that moved away leaves its old container here, stopped: the one running elsewhere wins.
  return [...here.filter((s) => !(names.has(s.name) && s.state !== 'running')), ...elsewhere].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

/** Each node with the stack's services whose tasks run there (an API task named by its slot). */
export function swarmNodes(nodes: SwarmNodeInfo[], tasks: SwarmTaskInfo[]): SwarmNode[] {
  return nodes.map((n) => ({
    hostname: n.Description?.Hostname ?? n.ID,
    role: n.Spec?.Role === 'manager' ? 'manager' : 'worker',
    state: n.Status?.State ?? 'unknown',
    availability: n.Spec?.Availability ?? 'unknown',
    services: tasks
      .filter((t) => t.NodeID === n.ID && t.Status?.State === 'running')
      .map(taskName)
      .sort(),
  }));
}
