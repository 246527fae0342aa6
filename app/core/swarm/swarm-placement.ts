// Where a Swarm stack's databases run (pure). A database's data is a volume on the node its task
// runs on; a task Swarm moved to another node would start on an empty volume there (the primary
// empty, a replica cloning again), so each database is pinned to one node (node.hostname), and the
// copies go to different nodes where there are enough: a node lost takes one copy, not all. A pin,
// once made, stays for the service's life (read back from its spec), so adding a node never moves
// data.
import type Docker from 'dockerode';
import { LabError } from '../../contract/errors.js';
import { LABEL } from '../runtime/names.js';
import type { SwarmFacts } from './swarm-check.js';

const HOSTNAME = 'node.hostname==';

/** The nodes a database may be pinned to: ready, active, and carrying the label when one is set;
 *  this node (the manager) first, so the primary lands where the engine runs SQL on it. */
export function databaseNodes(facts: Pick<SwarmFacts, 'nodes' | 'listing' | 'nodeId'>, dbNodeLabel?: string): string[] {
  const self = facts.listing.find((n) => n.ID === facts.nodeId)?.Description?.Hostname;
  return facts.nodes
    .filter((n) => n.ready && n.available && (!dbNodeLabel || n.labels[dbNodeLabel] === 'true'))
    .map((n) => n.hostname)
    .sort((a, b) => Number(b === self) - Number(a === self));
}

/** Each database service's node: a pin it already has, while that node may still hold databases,
 *  else the eligible node holding the fewest of the stack's databases (the first listed on a tie). */
export function placeDatabases(
  names: string[],
  eligible: string[],
  current: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (current[n] && eligible.includes(current[n])) out[n] = current[n];
  const count = (node: string) => Object.values(out).filter((x) => x === node).length;
  for (const n of names) {
    if (out[n] || !eligible.length) continue;
    out[n] = eligible.reduce((best, node) => (count(node) < count(best) ? node : best), eligible[0]);
  }
  return out;
}

/** The placement constraint that pins a task to `hostname`. */
export const pinConstraint = (hostname: string) => `${HOSTNAME}${hostname}`;

/** The pins the stack's services carry (service's own name, as plan() calls it -> hostname). */
export function pinsOf(services: Array<{ Spec?: Docker.ServiceSpec }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of services) {
    const name = s.Spec?.Labels?.[LABEL.service];
    const pin = s.Spec?.TaskTemplate?.Placement?.Constraints?.find((c) => c.startsWith(HOSTNAME));
    if (name && pin) out[name] = pin.slice(HOSTNAME.length);
  }
  return out;
}

/** Draining a node that holds a database would stop it (its data cannot follow): refused, naming them. */
export function pinnedDrainProblem(pins: Record<string, string>, hostname: string): LabError | null {
  const here = Object.keys(pins)
    .filter((n) => pins[n] === hostname)
    .sort();
  if (!here.length) return null;
  return new LabError(
    `${hostname} holds the data of ${here.join(', ')} (a volume on that node): drained, ${here.length > 1 ? 'they' : 'it'} would stop, as Swarm cannot take the data along.`,
    'BAD_INPUT',
    'Remove the replicas there first (database.replicas), or drain another node.',
  );
}
