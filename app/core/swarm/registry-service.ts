// The registry's I/O: ScaleLab's own registry service made (once per engine), a registry asked
// whether it answers, and the stack's images pushed to it so every node can pull them.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { request } from 'undici';
import type { Role } from '../topology/plan.js';
import { isConflict, isNotFound } from '../runtime/docker-client.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import {
  MIRROR_PORT,
  MIRROR_SERVICE,
  OWN_REGISTRY_SERVICE,
  OWN_REGISTRY_VOLUME,
  ownRegistryConfig,
  PRIMARY_PORT,
  REGISTRY_NETWORK,
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
  const addresses = plan.kind === 'own' ? [plan.pushAddress, plan.address] : [plan.address];
  for (;;) {
    const problems = await Promise.all(addresses.map((a) => registryProblem(a)));
    const problem = problems.find(Boolean);
    if (!problem) return;
    if (Date.now() > deadline) {
      const at = addresses[problems.indexOf(problem)];
      throw registryUnavailable({ address: at }, problem, plan.kind === 'own');
    }
    await sleep(500);
  }
}

/** The primary on a manager and a mirror on every node, from the base image (Debian's
 *  docker-registry), each configured by a Swarm config, on an overlay of their own. */
async function ensureOwnRegistry(docker: Docker, baseImage: string, onProgress: ProgressSink) {
  const names = new Set((await docker.listServices({ filters: { label: [REGISTRY_LABEL] } })).map((s) => s.Spec?.Name));
  if (names.has(OWN_REGISTRY_SERVICE) && names.has(MIRROR_SERVICE)) return;
  const labels = { [REGISTRY_LABEL]: 'own' };
  try {
    await docker.createNetwork({ Name: REGISTRY_NETWORK, Driver: 'overlay', CheckDuplicate: true, Labels: labels });
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
  const service = async (role: 'primary' | 'mirror') => {
    const name = role === 'primary' ? OWN_REGISTRY_SERVICE : MIRROR_SERVICE;
    if (names.has(name)) return;
    const port = role === 'primary' ? PRIMARY_PORT : MIRROR_PORT;
    onProgress({ service: name, phase: 'create', message: `${role} registry on port ${port}`, at: Date.now() });
    const config = await ensureConfig(docker, name, ownRegistryConfig(role));
    try {
      await docker.createService({
        Name: name,
        Labels: labels,
        TaskTemplate: {
          ContainerSpec: {
            Image: baseImage,
            Command: ['/usr/bin/docker-registry', 'serve', '/etc/scalelab/registry.yml'],
            Labels: labels,
            Configs: [{ File: { Name: '/etc/scalelab/registry.yml', UID: '0', GID: '0', Mode: 0o444 }, ...config }],
            // The primary's layers on a volume of the manager it is kept to; a mirror's are a cache.
            Mounts:
              role === 'primary'
                ? [
                    {
                      Type: 'volume',
                      Source: OWN_REGISTRY_VOLUME,
                      Target: '/var/lib/docker-registry',
                      VolumeOptions: { NoCopy: false, Labels: labels, DriverConfig: { Name: 'local', Options: {} } },
                    },
                  ]
                : [],
            Init: true,
          },
          Placement: { Constraints: role === 'primary' ? ['node.role==manager'] : [] },
          RestartPolicy: { Condition: 'any', Delay: 1e9 },
          Networks: [{ Target: REGISTRY_NETWORK }],
        },
        Mode: role === 'primary' ? { Replicated: { Replicas: 1 } } : { Global: {} },
        // Host mode: the port on the node the task runs on, no routing mesh (no IPVS needed).
        EndpointSpec: {
          Mode: 'dnsrr',
          Ports: [{ Protocol: 'tcp', TargetPort: 5000, PublishedPort: port, PublishMode: 'host' }],
        },
      } as Docker.CreateServiceOptions);
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  };
  await service('primary');
  await service('mirror');
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

/** Removes ScaleLab's registry: its service, config and volume (the pushed images with it). */
export async function removeOwnRegistry(docker: Docker): Promise<void> {
  const filters = { label: [REGISTRY_LABEL] };
  for (const s of await docker.listServices({ filters })) await docker.getService(s.ID).remove().catch(ignoreGone);
  const deadline = Date.now() + 30_000;
  while ((await docker.listContainers({ all: true, filters })).length && Date.now() < deadline) await sleep(300);
  for (const c of (await docker.listConfigs({ filters })) as Array<{ ID: string }>)
    await docker.getConfig(c.ID).remove().catch(ignoreGone);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
    await docker.getVolume(v.Name).remove().catch(ignoreGone);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(ignoreGone);
}

function ignoreGone(e: unknown) {
  if (!isNotFound(e)) throw e;
}

/** Tags each role's image for the registry and pushes it (layers it has are skipped); the names the
 *  services run. Unchanged when the plan has no registry. */
export async function pushImages(
  docker: Docker,
  plan: RegistryPlan,
  images: Record<Role, string>,
  onProgress: ProgressSink,
): Promise<Record<Role, string>> {
  if (plan.kind === 'none') return images;
  const out = {} as Record<Role, string>;
  const pushed = new Set<string>();
  for (const [role, image] of Object.entries(images) as Array<[Role, string]>) {
    out[role] = registryImage(plan.address, image);
    if (pushed.has(image)) continue;
    pushed.add(image);
    // Ours is pushed to the primary and pulled through each node's mirror: tagged under both
    // names, so the manager that built it has it by the name its tasks run.
    const remote = registryImage(plan.kind === 'own' ? plan.pushAddress : plan.address, image);
    for (const name of new Set([remote, out[role]])) {
      const [repo, tag] = splitTag(name);
      await docker.getImage(image).tag({ repo, tag });
    }
    const [repo, tag] = splitTag(remote);
    onProgress({ service: role, phase: 'image', message: `pushing ${remote}`, at: Date.now() });
    const stream = await docker.getImage(repo).push({ tag, authconfig: {} });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, output: Array<{ error?: string }>) => {
        const failed = err?.message ?? output?.find((o) => o.error)?.error;
        if (failed) reject(registryUnavailable({ address: remote }, failed.trim(), plan.kind === 'own'));
        else resolve();
      }),
    );
  }
  return out;
}

/** "host:5000/scalelab/api:abc" → ["host:5000/scalelab/api", "abc"] (the port's colon is not the tag's). */
export function splitTag(image: string): [string, string] {
  const i = image.lastIndexOf(':');
  return i > image.lastIndexOf('/') ? [image.slice(0, i), image.slice(i + 1)] : [image, 'latest'];
}
