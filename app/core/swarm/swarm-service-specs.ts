// What a Swarm stack's services are to be, with what they need made first: the images built and
// pushed where the nodes pull them, the overlay, the secrets, each database's node.
import type Docker from 'dockerode';
import { BASE_VERSION } from '../../contract/topology.js';
import type { DockerRuntime } from '../runtime/docker-runtime.js';
import { baseImageTag } from '../runtime/images.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import type { ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import { registryPlan, type RegistrySetting } from './registry.js';
import { pushImages, readyRegistry } from './registry-service.js';
import { backupsProblem } from './swarm-backups.js';
import type { SwarmFacts } from './swarm-check.js';
import { databaseNodes, pinsOf, placeDatabases } from './swarm-placement.js';
import { keepBootstrapEnv } from './swarm-ha.js';
import { ensureSecrets, secretsWanted } from './swarm-secrets.js';
import { ensureOverlay } from './swarm-service-steps.js';
import { isEntry, PINNED_ROLES, swarmServices, type SwarmContext } from './swarm-spec.js';

export interface SpecOptions {
  appVersion: string;
  stackDir: string;
  dbNodeLabel?: string;
  registry?: RegistrySetting;
}

export interface SpecInput {
  stack: string;
  t: Topology;
  specs: ServiceSpec[];
  facts: SwarmFacts;
  /** The stack's services as they run now (none on a first up): where its databases are pinned. */
  running: Array<{ Spec?: Docker.ServiceSpec }>;
}

/** The images built and pushed where the nodes pull them (several nodes and no registry, or
 *  backups with the primary pinned away from this node, refused here, before anything is
 *  made), the secrets made, and the services' specs. */
export async function serviceSpecs(
  docker: Docker,
  local: DockerRuntime,
  opts: SpecOptions,
  { stack, t, specs, facts, running }: SpecInput,
  onProgress: ProgressSink,
) {
  const dbPins = placeDatabases(
    specs.filter((s) => PINNED_ROLES.includes(s.role)).map((s) => s.name),
    databaseNodes(facts, opts.dbNodeLabel),
    pinsOf(running),
  );
  const manager = facts.listing.find((n) => n.ID === facts.nodeId)?.Description?.Hostname ?? '';
  const problem = t.database.backups ? backupsProblem(dbPins, manager, opts.dbNodeLabel) : null;
  if (problem) throw problem;
  const registry = registryPlan(opts.registry ?? 'auto', facts.nodes.length, facts.nodeAddr);
  const images = await local.prepareImages(t, onProgress);
  // Another version of the API (a rolling deploy) is an image of its own, pushed like the others:
  // the API service's image changes, and Swarm rolls it through the tasks, new task first.
  if (images.api && t.api.version !== BASE_VERSION) images.api = await local.versionImage(t.api.version, onProgress);
  await readyRegistry(docker, registry, baseImageTag(opts.stackDir), onProgress);
  const pulled = await pushImages(docker, registry, images, onProgress);
  await ensureOverlay(docker, stack, t, opts.appVersion);
  const onSwarm = specs.filter((s) => !isEntry(s));
  const secrets = await ensureSecrets(docker, stack, secretsWanted(onSwarm.map((s) => s.env)));
  const ctx: SwarmContext = {
    stack,
    images: pulled,
    appVersion: opts.appVersion,
    dbNodeLabel: opts.dbNodeLabel,
    dbPins,
    secrets,
  };
  return { services: keepBootstrapEnv(t, swarmServices(specs, ctx), running), images, ctx };
}
