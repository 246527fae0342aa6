// Where a Swarm's nodes get the stack's images from (pure). On one node the manager's own images
// serve; on several, every node must pull them from a registry: ScaleLab's own (Debian's
// docker-registry as a Swarm service on a manager, published in host mode at the manager's Swarm
// address: the routing mesh needs IPVS, which not every kernel has), or one the user names. A
// node's engine pulls over plain HTTP only from loopback or from a registry its daemon lists in
// "insecure-registries": on one node the address is 127.0.0.1; every other node must list it.
import { LabError } from '../../contract/errors.js';

/** SCALELAB_SWARM_REGISTRY: auto (the default), own, none, or a registry's host:port. */
export type RegistrySetting = 'auto' | 'own' | 'none' | { address: string };

export type RegistryPlan =
  /** The images stay where they were built (a one-node Swarm). */
  | { kind: 'none' }
  /** ScaleLab's registry at the manager's address: pushed to and pulled from there. */
  | { kind: 'own'; address: string }
  /** A registry the user runs; its nodes already trust it. */
  | { kind: 'external'; address: string };

/** The port ScaleLab's registry is published on, on the manager it runs on. */
export const REGISTRY_PORT = 5000;
/** Its Swarm service, shared by every stack on the engine (their images are pushed once). */
export const OWN_REGISTRY_SERVICE = 'scalelab-registry';
/** Its volume: the pushed layers, kept across stacks and restarts. */
export const OWN_REGISTRY_VOLUME = 'scalelab-registry-data';
/** Label on the registry's service, config and volume: ScaleLab made them (they belong to no stack). */
export const REGISTRY_LABEL = 'scalelab.registry';

const ADDRESS = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i;

/** Reads SCALELAB_SWARM_REGISTRY; a malformed value is refused, saying what is accepted. */
export function parseRegistrySetting(text: string | undefined): RegistrySetting {
  const v = (text ?? '').trim();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'own' || v === 'none') return v;
  if (ADDRESS.test(v)) return { address: v };
  throw new LabError(
    `SCALELAB_SWARM_REGISTRY "${v}" is not auto, own, none or a registry's host:port.`,
    'BAD_INPUT',
    'Leave it unset (a registry of ScaleLab\'s own once the Swarm has more than one node), or give e.g. "registry.lan:5000".',
  );
}

/** The registry a stack's images go through, for a Swarm of `nodes` nodes whose manager (this
 *  engine) has the Swarm address `managerAddr`. */
export function registryPlan(setting: RegistrySetting, nodes: number, managerAddr: string): RegistryPlan {
  if (typeof setting === 'object') return { kind: 'external', address: setting.address };
  if (setting === 'own' || (setting === 'auto' && nodes > 1))
    return { kind: 'own', address: `${managerAddr}:${REGISTRY_PORT}` };
  if (nodes > 1)
    throw new LabError(
      `The Swarm has ${nodes} nodes and SCALELAB_SWARM_REGISTRY is none: the other nodes could not pull the stack's images.`,
      'BAD_INPUT',
      'Unset SCALELAB_SWARM_REGISTRY (ScaleLab then runs its own registry), or name one every node can pull from.',
    );
  return { kind: 'none' };
}

/** The name an image has in the registry: "<address>/scalelab/api:<hash>" for "scalelab/api:<hash>". */
export function registryImage(address: string, image: string): string {
  return `${address}/${image}`;
}

/** The registry's configuration: no login (it holds the lab's images only), deletes allowed. */
export function ownRegistryConfig(): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    '    rootdirectory: /var/lib/docker-registry',
    '  delete:',
    '    enabled: true',
    'http:',
    '  addr: :5000',
    '',
  ].join('\n');
}

/** What a node says when it cannot pull from a registry over plain HTTP, and what to do. */
export function untrustedRegistryHint(address: string): string {
  return `Every node's Docker daemon must trust the registry: add "insecure-registries": ["${address}"] to its /etc/docker/daemon.json and restart it (or set SCALELAB_SWARM_REGISTRY to a registry with TLS).`;
}

/** What an unreachable registry means, and what to do about it (`own`: ScaleLab's own). */
export function registryUnavailable(at: { address: string }, why: string, own = false): LabError {
  const hint = own
    ? `See \`docker service ps ${OWN_REGISTRY_SERVICE} --no-trunc\`; free port ${REGISTRY_PORT} on the manager if something else holds it.`
    : 'Start the registry, or name another with SCALELAB_SWARM_REGISTRY (unset: ScaleLab runs its own).';
  return new LabError(
    `The image registry at ${at.address} does not answer (${why}); nothing was created.`,
    'DOCKER_UNAVAILABLE',
    hint,
  );
}
