// Taking a Swarm stack down: its services (Swarm stops their tasks), then, once the tasks have
// gone, the volumes they kept on other nodes, its secrets and any k6 service or tunnel a run or an
// apply cut short left, then what the local engine holds (the balancer, the overlay, the
// volumes), the overlay asked again until it has gone.
import type Docker from 'dockerode';
import { isNotFound } from '../runtime/docker-client.js';
import { LABEL, stackFilter } from '../runtime/names.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { removeK6Service } from './swarm-k6.js';
import { removeTunnels } from './overlay-tunnel.js';
import { removeSecrets } from './swarm-secrets.js';
import { remoteVolumes, removeRemoteVolumes } from './remote-volumes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SERVICE_NAME = 'com.docker.swarm.service.name';
const isTask = (c: Docker.ContainerInfo) => SERVICE_NAME in (c.Labels ?? {});

export async function removeSwarmStack(
  docker: Docker,
  stack: string,
  onProgress: ProgressSink,
  localDown: () => Promise<void>,
): Promise<void> {
  const services = await docker.listServices({ filters: { label: [`${LABEL.stack}=${stack}`] } });
  // What the services keep on other nodes, read before they go: removed there once their tasks have.
  const remote = remoteVolumes(services, await hostnameOf(docker));
  for (const s of services) {
    onProgress({ service: s.Spec?.Name ?? s.ID, phase: 'remove', message: 'removing the service', at: Date.now() });
    await docker
      .getService(s.ID)
      .remove()
      .catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
  }
  // A volume can go only once the task that held it has: wait for Swarm to remove the tasks.
  const deadline = Date.now() + 60_000;
  while ((await docker.listContainers({ all: true, filters: stackFilter(stack) })).some(isTask)) {
    if (Date.now() > deadline) break;
    await sleep(300);
  }
  await removeRemoteVolumes(docker, stack, remote, onProgress);
  // Its secrets, once no service names them; a k6 service a run cut short left.
  await removeSecrets(docker, stack);
  await removeK6Service(docker, stack);
  await removeTunnels(docker, stack);
  await localDown();
  // The overlay is the cluster's: its copy on this node may outlive the removal a moment (a CI
  // run listed it just after); asked again until it has gone.
  for (let i = 0; i < 20; i++) {
    const left = await docker.listNetworks({ filters: stackFilter(stack) });
    if (!left.length) break;
    await sleep(500);
    for (const n of left)
      await docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
  }
}

/** The volumes of services `apply` removed (a replica no longer wanted: its data would be stale
 *  if one came back), once their tasks have gone: on this node directly, on another by a one-off
 *  job there (remote-volumes.ts). */
export async function removeServiceVolumes(
  docker: Docker,
  stack: string,
  removed: Array<{ Spec?: Docker.ServiceSpec }>,
  onProgress: ProgressSink,
): Promise<void> {
  const thisNode = await hostnameOf(docker);
  const remote = remoteVolumes(removed, thisNode);
  const elsewhere = new Set(remote.flatMap((r) => r.volumes));
  for (const s of removed) {
    const name = s.Spec?.Name ?? '';
    const deadline = Date.now() + 30_000;
    const task = { all: true, filters: { label: [`${SERVICE_NAME}=${name}`] } };
    while ((await docker.listContainers(task)).length && Date.now() < deadline) await sleep(300);
    const mounts = (s.Spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined)?.ContainerSpec?.Mounts ?? [];
    for (const m of mounts)
      if (m.Type === 'volume' && m.Source && !elsewhere.has(m.Source))
        await docker
          .getVolume(m.Source)
          .remove()
          .catch(() => undefined);
  }
  await removeRemoteVolumes(docker, stack, remote, onProgress);
}

const hostnameOf = async (docker: Docker) => ((await docker.info()) as { Name: string }).Name;

/** Removes the stack's services that `pick` names (by their own name and role), then their volumes:
 *  made again, they start from empty data (a replica cloned afresh, a database tier seeded again). */
export async function removeWithData(
  docker: Docker,
  stack: string,
  services: Array<{ ID: string; Spec?: Docker.ServiceSpec }>,
  pick: (name: string, role: string) => boolean,
  why: string,
  onProgress: ProgressSink,
): Promise<string[]> {
  const picked = services.filter((s) =>
    pick(s.Spec?.Labels?.[LABEL.service] ?? '', s.Spec?.Labels?.[LABEL.role] ?? ''),
  );
  for (const r of picked) {
    onProgress({ service: r.Spec!.Labels![LABEL.service]!, phase: 'remove', message: why, at: Date.now() });
    await docker.getService(r.ID).remove();
  }
  await removeServiceVolumes(docker, stack, picked, onProgress);
  return picked.map((r) => r.Spec!.Labels![LABEL.service]!).sort();
}
