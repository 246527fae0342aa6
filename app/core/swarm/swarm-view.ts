// What the Swarm says of a stack, read for its status: the nodes, the stack's running tasks, and
// the counts of nodes by availability the collector charts. Reading only; swarm-status.ts decides
// what the readings mean.
import type Docker from 'dockerode';
import type { ServiceStatus, StackStatus } from '../../contract/stack.js';
import { LABEL, networkName } from '../runtime/names.js';
import { checkSwarm } from './swarm-check.js';
import { swarmNodes, withTasksElsewhere, type SwarmNodeInfo, type SwarmTaskInfo } from './swarm-status.js';

/** One reading of the Swarm's nodes and the stack's tasks. */
export async function readSwarmView(docker: Docker, stack: string) {
  // Not a Swarm (any more): the error says how to make one, not Docker's 503.
  const { nodeId = '', listing: nodes } = await checkSwarm(docker);
  const tasks = (await docker.listTasks({
    filters: { label: [`${LABEL.stack}=${stack}`], 'desired-state': ['running'] },
  })) as SwarmTaskInfo[];
  return {
    nodes,
    tasks,
    /** The local engine's containers and the stack's tasks on other nodes (no ports: only the
     *  balancer on the overlay reaches them, so HAProxy's figures are what the collector has of them). */
    withRemote: (local: ServiceStatus[]) => withTasksElsewhere(local, nodes, tasks, nodeId, networkName(stack)),
  };
}

/** The local engine's status of the stack, with its tasks elsewhere, the target and the nodes. */
export async function swarmStatus(docker: Docker, stack: string, local: Promise<StackStatus>): Promise<StackStatus> {
  const [status, swarm] = await Promise.all([local, readSwarmView(docker, stack)]);
  return {
    ...status,
    services: swarm.withRemote(status.services),
    target: 'swarm',
    nodes: swarmNodes(swarm.nodes, swarm.tasks),
  };
}

/** Nodes ready and active, and nodes drained. */
export async function nodeCounts(docker: Docker): Promise<{ active: number; drained: number }> {
  const nodes = (await docker.listNodes()) as SwarmNodeInfo[];
  const ready = nodes.filter((n) => n.Status?.State === 'ready');
  return {
    active: ready.filter((n) => n.Spec?.Availability === 'active').length,
    drained: nodes.filter((n) => n.Spec?.Availability === 'drain').length,
  };
}
