// A volume on another node of the Swarm: this engine's API reaches its own volumes only, so a
// one-off Swarm job pinned to that node removes it through that node's engine socket (curl, in
// the image the service that made the volume ran there, so the node has it already). Used when
// `apply` removes a replica pinned to a worker, and by `down`.
import type Docker from 'dockerode';
import { LABEL } from '../runtime/names.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { pinsOf } from './swarm-placement.js';

export interface RemoteVolumes {
  node: string;
  image: string;
  volumes: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const JOB_TIMEOUT_MS = 90_000;

/** The volumes the services keep on nodes other than `thisNode`, by node (pure). */
export function remoteVolumes(services: Array<{ Spec?: Docker.ServiceSpec }>, thisNode: string): RemoteVolumes[] {
  const byNode = new Map<string, RemoteVolumes>();
  for (const s of services) {
    const name = s.Spec?.Labels?.[LABEL.service];
    const node = name ? pinsOf([s])[name] : undefined;
    const c = (s.Spec?.TaskTemplate as Docker.ContainerTaskSpec | undefined)?.ContainerSpec;
    const volumes = (c?.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Source).map((m) => m.Source!);
    if (!node || node === thisNode || !volumes.length || !c?.Image) continue;
    const entry = byNode.get(node) ?? { node, image: c.Image, volumes: [] };
    entry.volumes.push(...volumes);
    byNode.set(node, entry);
  }
  return [...byNode.values()];
}

/** DELETE each volume on the node's own engine; in use (409: the task's container still going)
 *  is asked again each second for half a minute; gone already (404) is done. */
const REMOVE_EACH = `for v in "$@"; do i=0; while :; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket /var/run/docker.sock -X DELETE "http://localhost/volumes/$v")
  [ "$code" = 204 ] || [ "$code" = 404 ] && break
  i=$((i+1)); [ "$code" = 409 ] && [ $i -lt 30 ] || { echo "$v: HTTP $code" >&2; exit 1; }; sleep 1
done; done`;

export async function removeRemoteVolumes(
  docker: Docker,
  stack: string,
  remote: RemoteVolumes[],
  onProgress: ProgressSink,
): Promise<void> {
  for (const r of remote) {
    const name = `scalelab-${stack}-volumes-${r.node}`.slice(0, 63);
    onProgress({
      service: name,
      phase: 'remove',
      message: `removing ${r.volumes.join(', ')} on ${r.node} (a one-off job there)`,
      at: Date.now(),
    });
    const service = await docker.createService({
      Name: name,
      Labels: { [LABEL.stack]: stack },
      TaskTemplate: {
        ContainerSpec: {
          Image: r.image,
          Command: ['sh', '-c', REMOVE_EACH, 'remove', ...r.volumes],
          Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/var/run/docker.sock' }],
        },
        Placement: { Constraints: [`node.hostname==${r.node}`] },
        RestartPolicy: { Condition: 'none' },
      },
      // Swarm's jobs (API 1.41): run once to completion, not kept running.
      Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
    } as unknown as Docker.CreateServiceOptions);
    try {
      const id = (service as unknown as { id: string }).id;
      const deadline = Date.now() + JOB_TIMEOUT_MS;
      for (;;) {
        const tasks = (await docker.listTasks({ filters: { service: [id] } })) as Array<{
          Status?: { State?: string; Err?: string };
        }>;
        const states = tasks.map((t) => t.Status?.State);
        if (states.includes('complete')) break;
        const failed = tasks.find((t) => ['failed', 'rejected'].includes(t.Status?.State ?? ''));
        if (failed || Date.now() > deadline) {
          onProgress({
            service: name,
            phase: 'remove',
            message: `${r.volumes.join(', ')} may remain on ${r.node} (${failed?.Status?.Err ?? 'the job did not finish'}): \`docker volume rm ${r.volumes.join(' ')}\` there removes them`,
            at: Date.now(),
          });
          break;
        }
        await sleep(500);
      }
    } finally {
      await docker
        .getService(name)
        .remove()
        .catch(() => undefined);
    }
  }
}
