// Before a Swarm stack makes anything: the engine must be a Swarm manager, and a placement label
// asked for must be on a node that can run tasks. Each problem is a clear error that says what to
// do, and nothing is created. The decision is pure; checkSwarm() reads the engine.
import type Docker from 'dockerode';
import { LabError } from '../../contract/errors.js';

export interface SwarmFacts {
  /** docker info's Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  localNodeState: string;
  /** Whether this engine is a manager (only a manager creates services). */
  controlAvailable: boolean;
  /** This node's address in the Swarm (docker info's Swarm.NodeAddr): where the others reach it. */
  nodeAddr: string;
  /** This node's ID in the Swarm. */
  nodeId?: string;
  nodes: Array<{ hostname: string; labels: Record<string, string>; ready: boolean; available: boolean }>;
  /** The node listing these facts were read from, as the engine gave it (one reading serves all). */
  listing: SwarmNodeInfo[];
}

/** A node as the engine lists it (the fields ScaleLab reads). */
export interface SwarmNodeInfo {
  ID: string;
  Version?: { Index: number };
  Description?: { Hostname?: string };
  Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string> };
  Status?: { State?: string };
}

/** What stops a Swarm stack here, or null. `dbNodeLabel`: databases are kept to nodes with it. */
export function swarmProblem(facts: SwarmFacts, dbNodeLabel?: string): LabError | null {
  if (facts.localNodeState !== 'active')
    return new LabError(
      `This Docker engine is not part of a Swarm (its state is "${facts.localNodeState}").`,
      'DOCKER_UNAVAILABLE',
      'Make it a one-node Swarm with `docker swarm init` (add nodes with `docker swarm join`), or use the local engine target.',
    );
  if (!facts.controlAvailable)
    return new LabError(
      'This Docker engine is a Swarm worker: only a manager can create services.',
      'DOCKER_UNAVAILABLE',
      'Point ScaleLab at a manager node (DOCKER_HOST), or promote this one with `docker node promote`.',
    );
  const usable = facts.nodes.filter((n) => n.ready && n.available);
  if (dbNodeLabel && !usable.some((n) => n.labels[dbNodeLabel] === 'true')) {
    const has = facts.nodes.filter((n) => n.labels[dbNodeLabel] === 'true').map((n) => n.hostname);
    return new LabError(
      has.length
        ? `The nodes labelled ${dbNodeLabel}=true (${has.join(', ')}) are down or drained: the database has nowhere to run.`
        : `No node of the Swarm is labelled ${dbNodeLabel}=true: the database would have nowhere to run.`,
      'BAD_INPUT',
      `Label one: \`docker node update --label-add ${dbNodeLabel}=true NODE\` (nodes: ${facts.nodes.map((n) => n.hostname).join(', ')}).`,
    );
  }
  return null;
}

export async function swarmFacts(docker: Docker): Promise<SwarmFacts> {
  const info = (await docker.info()) as {
    Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeAddr?: string; NodeID?: string };
  };
  const state = info.Swarm?.LocalNodeState ?? 'inactive';
  const manager = Boolean(info.Swarm?.ControlAvailable);
  const nodes = state === 'active' && manager ? ((await docker.listNodes()) as SwarmNodeInfo[]) : [];
  return {
    localNodeState: state,
    controlAvailable: manager,
    nodeAddr: info.Swarm?.NodeAddr || '127.0.0.1',
    nodeId: info.Swarm?.NodeID,
    nodes: nodes.map((n) => ({
      hostname: n.Description?.Hostname ?? '?',
      labels: n.Spec?.Labels ?? {},
      ready: n.Status?.State === 'ready',
      available: n.Spec?.Availability === 'active',
    })),
    listing: nodes,
  };
}

/** The Swarm's facts, once they show nothing stops a Swarm stack here (else its error). */
export async function checkSwarm(docker: Docker, dbNodeLabel?: string): Promise<SwarmFacts> {
  const facts = await swarmFacts(docker);
  const problem = swarmProblem(facts, dbNodeLabel);
  if (problem) throw problem;
  return facts;
}

/** Why draining `hostname` is refused (changing nothing), or null: a node Swarm does not know,
 *  the last node that can run tasks, or the last usable one carrying the database's label. */
export function drainProblem(facts: SwarmFacts, hostname: string, dbNodeLabel?: string): LabError | null {
  const node = facts.nodes.find((n) => n.hostname === hostname);
  if (!node)
    return new LabError(
      `No node of the Swarm is called ${hostname}.`,
      'BAD_INPUT',
      `The nodes: ${facts.nodes.map((n) => n.hostname).join(', ')} (\`scalelab status\` lists them with their tasks).`,
    );
  const others = facts.nodes.filter((n) => n !== node && n.ready && n.available);
  if (!others.length)
    return new LabError(
      `${hostname} is the only node that can run tasks: drained, the stack would have nowhere to run.`,
      'BAD_INPUT',
      'Add a node (`docker swarm join`) or bring one back before draining this one.',
    );
  if (dbNodeLabel && node.labels[dbNodeLabel] === 'true' && !others.some((n) => n.labels[dbNodeLabel] === 'true'))
    return new LabError(
      `${hostname} is the only usable node labelled ${dbNodeLabel}=true: drained, the database would have nowhere to run.`,
      'BAD_INPUT',
      `Label another node first: \`docker node update --label-add ${dbNodeLabel}=true NODE\`.`,
    );
  return null;
}
