// The registry's I/O: ScaleLab's own registry service made (once per engine), a registry asked
// whether it answers, and the stack's images pushed to it so every node can pull them.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { request } from 'undici';
import type { Role } from '../topology/plan.js';
import { isConflict } from '../runtime/docker-client.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import type { SwarmGenerators } from '../load/k6-generators.js';
import {
  OWN_REGISTRY_SERVICE,
  OWN_REGISTRY_VOLUME,
  ownRegistryConfig,
  REGISTRY_PORT,
  REGISTRY_LABEL,
  registryImage,
  registryUnavailable,
  type RegistryPlan,
} from './registry.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Null when the registry's API answers (200, or 401 from one that wants a login), else why not. */
export async function registryProblem(address: string, timeoutMs = 3000): Promise<string | null> {
  try {
    const res = await request(`http://${address}/v2/`, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return res.statusCode === 200 || res.statusCode === 401 ? null : `HTTP ${res.statusCode} from /v2/`;
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
}

/** Makes the registry ready: ScaleLab's own made if missing and waited for; any registry asked
 *  whether it answers. Throws (nothing of the stack made yet) when it does not. */
export async function readyRegistry(
  docker: Docker,
  plan: RegistryPlan,
  baseImage: string,
  onProgress: ProgressSink,
): Promise<void> {
  if (plan.kind === 'none') return;
  if (plan.kind === 'own') await ensureOwnRegistry(docker, baseImage, onProgress);
  // Ours may take a minute to start on a fresh engine; theirs answers now or is refused.
  const deadline = Date.now() + (plan.kind === 'own' ? 60_000 : 0);
  for (;;) {
    const problem = await registryProblem(plan.address);
    if (!problem) return;
    if (Date.now() > deadline) throw registryUnavailable(plan, problem, plan.kind === 'own');
    await sleep(500);
  }
}

/** The registry service on a manager, from the base image (Debian's docker-registry), its
 *  configuration a Swarm config, published in host mode (no routing mesh: no IPVS needed). */
async function ensureOwnRegistry(docker: Docker, baseImage: string, onProgress: ProgressSink) {
  const existing = await docker.listServices({ filters: { label: [REGISTRY_LABEL] } });
  if (existing.some((s) => s.Spec?.Name === OWN_REGISTRY_SERVICE)) return;
  const labels = { [REGISTRY_LABEL]: 'own' };
  onProgress({
    service: OWN_REGISTRY_SERVICE,
    phase: 'create',
    message: `image registry on port ${REGISTRY_PORT}`,
    at: Date.now(),
  });
  const config = await ensureConfig(docker, OWN_REGISTRY_SERVICE, ownRegistryConfig());
  try {
    await docker.createService({
      Name: OWN_REGISTRY_SERVICE,
      Labels: labels,
      TaskTemplate: {
        ContainerSpec: {
          Image: baseImage,
          Command: ['/usr/bin/docker-registry', 'serve', '/etc/scalelab/registry.yml'],
          Labels: labels,
          Configs: [{ File: { Name: '/etc/scalelab/registry.yml', UID: '0', GID: '0', Mode: 0o444 }, ...config }],
          Mounts: [
            {
              Type: 'volume',
              Source: OWN_REGISTRY_VOLUME,
              Target: '/var/lib/docker-registry',
              VolumeOptions: { NoCopy: false, Labels: labels, DriverConfig: { Name: 'local', Options: {} } },
            },
          ],
          Init: true,
        },
        // On this manager: the image is here (no node could pull it), and so is its volume.
        Placement: { Constraints: [`node.id==${await thisNodeId(docker)}`] },
        RestartPolicy: { Condition: 'any', Delay: 1e9 },
      },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: {
        Mode: 'dnsrr',
        Ports: [{ Protocol: 'tcp', TargetPort: 5000, PublishedPort: REGISTRY_PORT, PublishMode: 'host' }],
      },
    } as Docker.CreateServiceOptions);
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
}

async function thisNodeId(docker: Docker): Promise<string> {
  return ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
}

/** A Swarm config by content (configs cannot change: one per text, named by its hash). */
async function ensureConfig(docker: Docker, prefix: string, text: string) {
  const name = `${prefix}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  try {
    const created = (await docker.createConfig({
      Name: name,
      Labels: { [REGISTRY_LABEL]: 'own' },
      Data: Buffer.from(text).toString('base64'),
    })) as { id: string };
    return { ConfigID: created.id, ConfigName: name };
  } catch (e) {
    if (!isConflict(e)) throw e;
    return { ConfigID: ((await docker.getConfig(name).inspect()) as { ID: string }).ID, ConfigName: name };
  }
}

/** Tags each role's image for the registry and pushes it (layers it has are skipped); the names the
 *  services run. Unchanged when the plan has no registry. */
export async function pushImages(
  docker: Docker,
  plan: RegistryPlan,
  images: Record<Role, string>,
  onProgress: ProgressSink,
): Promise<Record<Role, string>> {
  const out = {} as Record<Role, string>;
  const pushed = new Map<string, string>();
  for (const [role, image] of Object.entries(images) as Array<[Role, string]>) {
    if (!pushed.has(image)) pushed.set(image, await pushImage(docker, plan, image, role, onProgress));
    out[role] = pushed.get(image)!;
  }
  return out;
}

/** One image tagged for the registry and pushed; the name the nodes pull (the image itself when
 *  the plan has no registry). */
export async function pushImage(
  docker: Docker,
  plan: RegistryPlan,
  image: string,
  service: string,
  onProgress: ProgressSink,
): Promise<string> {
  if (plan.kind === 'none') return image;
  const remote = registryImage(plan.address, image);
  const [repo, tag] = splitTag(remote);
  await docker.getImage(image).tag({ repo, tag });
  onProgress({ service, phase: 'image', message: `pushing ${remote}`, at: Date.now() });
  const stream = await docker.getImage(repo).push({ tag, authconfig: {} });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, output: Array<{ error?: string }>) => {
      const failed = err?.message ?? output?.find((o) => o.error)?.error;
      if (failed) reject(registryUnavailable(plan, `pushing ${remote}: ${failed.trim()}`, plan.kind === 'own'));
      else resolve();
    }),
  );
  return remote;
}

/** "host:5000/scalelab/api:abc" → ["host:5000/scalelab/api", "abc"] (the port's colon is not the tag's). */
export function splitTag(image: string): [string, string] {
  const i = image.lastIndexOf(':');
  return i > image.lastIndexOf('/') ? [image.slice(0, i), image.slice(i + 1)] : [image, 'latest'];
}

/** Where a k6 run's generators get their image on a Swarm: pushed to the stack's registry (made
 *  ready first, with the starter image on this node), pulled from there by every node. */
export function k6Generators(
  docker: Docker,
  registry: RegistryPlan,
  starterImage: string,
  stack: string,
): SwarmGenerators {
  return {
    stack,
    starterImage,
    shareImage: async (image) => {
      await readyRegistry(docker, registry, starterImage, () => undefined);
      return pushImage(docker, registry, image, 'k6', () => undefined);
    },
  };
}
