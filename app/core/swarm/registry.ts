// Where a Swarm's nodes get the stack's images from (pure). On one node the manager's own images
// serve; on several, every node must pull them from a registry: ScaleLab's own, or one the user
// names. ScaleLab's own is Debian's docker-registry twice over, as Swarm services: the primary on
// a manager, which the images are pushed to, and on every node a pull-through mirror of it
// (global mode) that the node's engine pulls from at its own 127.0.0.1, which Docker trusts
// without TLS, so no node's daemon needs configuring. Both publish in host mode: Swarm's routing
// mesh needs IPVS, which not every kernel has, and either way publishes on every address.
import { LabError } from '../../contract/errors.js';

/** SCALELAB_SWARM_REGISTRY: auto (the default), own, none, or a registry's host:port. */
export type RegistrySetting = 'auto' | 'own' | 'none' | { address: string };

export type RegistryPlan =
  /** The images stay where they were built (a one-node Swarm). */
  | { kind: 'none' }
  /** ScaleLab's registry: pushed to `pushAddress` from the manager, pulled from `address` on every node. */
  | { kind: 'own'; address: string; pushAddress: string }
  /** A registry the user runs; its nodes already trust it. */
  | { kind: 'external'; address: string };

/** The port of the mirror on every node: the address the tasks' images name. */
export const MIRROR_PORT = 5000;
/** The port of the primary on the manager: where the images are pushed. */
export const PRIMARY_PORT = 5001;
/** The primary, shared by every stack on the engine (their images are pushed once). */
export const OWN_REGISTRY_SERVICE = 'scalelab-registry';
export const MIRROR_SERVICE = 'scalelab-registry-mirror';
/** The overlay the mirrors reach the primary on. */
export const REGISTRY_NETWORK = 'scalelab-registry';
/** The primary's volume: the pushed layers, kept across stacks and restarts. */
export const OWN_REGISTRY_VOLUME = 'scalelab-registry-data';
/** Label on the registry's services, configs, network and volume: ScaleLab made them (no stack's). */
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

/** The registry a stack's images go through, for a Swarm of `nodes` nodes. */
export function registryPlan(setting: RegistrySetting, nodes: number): RegistryPlan {
  if (typeof setting === 'object') return { kind: 'external', address: setting.address };
  if (setting === 'own' || (setting === 'auto' && nodes > 1))
    return { kind: 'own', address: `127.0.0.1:${MIRROR_PORT}`, pushAddress: `127.0.0.1:${PRIMARY_PORT}` };
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

/** A registry's configuration: no auth (it answers only the lab's nodes), deletes allowed. The
 *  mirror proxies the primary by its name on the registry's overlay, keeping what it fetched. */
export function ownRegistryConfig(role: 'primary' | 'mirror'): string {
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
    ...(role === 'mirror' ? ['proxy:', `  remoteurl: http://${OWN_REGISTRY_SERVICE}:5000`] : []),
    '',
  ].join('\n');
}

/** What an unreachable registry means, and what to do about it (`own`: ScaleLab's own). */
export function registryUnavailable(at: { address: string }, why: string, own = false): LabError {
  const hint = own
    ? `See \`docker service ps ${OWN_REGISTRY_SERVICE} ${MIRROR_SERVICE} --no-trunc\`; free ports ${MIRROR_PORT} and ${PRIMARY_PORT} if something else holds them.`
    : 'Start the registry, or name another with SCALELAB_SWARM_REGISTRY (unset: ScaleLab runs its own).';
  return new LabError(
    `The image registry at ${at.address} does not answer (${why}); nothing was created.`,
    'DOCKER_UNAVAILABLE',
    hint,
  );
}
