// Faults on Swarm. Inside a task's container they are the local engine's (faults.ts), with one
// difference: Swarm starts a new task for any that ends, so a database node or an etcd member
// killed or stopped would be back within seconds, before Patroni has noticed it gone (its leader
// key outlives that). Those keep their data on one node and stand for a machine lost: after the
// kill their service is scaled to none, so they stay down, as on one engine, until started
// (scaled back to one). An API task killed is still replaced by Swarm: that is the lesson there.
import type Docker from 'dockerode';
import { isDbNodeName } from '../../contract/services.js';
import type { FaultKind } from '../../contract/stack.js';
import type { DockerRuntime } from '../runtime/docker-runtime.js';
import { scaleService, waitTasks } from './swarm-service-steps.js';
import { swarmServiceName } from './swarm-spec.js';

const keptDown = (service: string) => isDbNodeName(service) || /^etcd-\d+$/.test(service);

export async function swarmFault(
  docker: Docker,
  local: DockerRuntime,
  stack: string,
  service: string,
  kind: FaultKind,
  timeoutMs: number,
): Promise<void> {
  if (!keptDown(service) || !['kill', 'stop', 'start'].includes(kind)) return local.fault(stack, service, kind);
  const [svc] = await docker.listServices({ filters: { name: [swarmServiceName(stack, service)] } });
  const replicas = svc?.Spec?.Mode?.Replicated?.Replicas;
  if (!svc || replicas === undefined) return local.fault(stack, service, kind);
  if (kind === 'start') {
    if (replicas > 0) return local.fault(stack, service, kind);
    await scaleService(docker, svc.ID, 1);
    const spec = { ...svc.Spec!, Mode: { Replicated: { Replicas: 1 } } };
    return waitTasks(docker, spec, () => undefined, timeoutMs);
  }
  // Killed (or stopped) first, as a machine is lost; then none wanted, before Swarm's restart
  // delay (a second) starts another.
  await local.fault(stack, service, kind);
  await scaleService(docker, svc.ID, 0);
}
