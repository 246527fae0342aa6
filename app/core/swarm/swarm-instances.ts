// What a blue-green or canary deploy asks of the Swarm target (deploy/deployer.ts): API instances
// started by name on a version, and removed by name once drained. The stack's own instances are
// the API service's tasks (api-<slot>); a second set is one Swarm service an instance (api-4...),
// each answering to "api" on the overlay like the tasks, so the balancer finds it in a slot of its
// own whose weight the deploy sets. Promoted, the old set goes as the API service scaled to none,
// and api-1..N come back as that service, scaled up again on the new version's image.
import type Docker from 'dockerode';
import { isApiName } from '../../contract/services.js';
import { LabError } from '../runtime/errors.js';
import { LABEL } from '../runtime/names.js';
import type { ServiceSpec } from '../topology/plan.js';
import type { RunningService } from './swarm-apply.js';
import { scaleService } from './swarm-service-steps.js';
import { instanceServices, swarmServiceName, type SwarmContext } from './swarm-spec.js';

const TASK_SERVICE = 'com.docker.swarm.service.name';
const GONE_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const replicasOf = (s: RunningService) => s.Spec?.Mode?.Replicated?.Replicas ?? 0;
const numberOf = (name: string) => Number(name.slice('api-'.length));

/** How a deploy's start of `names` is made on Swarm (pure): the API service scaled back up (its
 *  tasks are api-1..N) when it runs none and `names` are exactly its slots, else a service each. */
export function startPlan(
  stack: string,
  names: string[],
  running: RunningService[],
): { kind: 'api-service'; service: RunningService } | { kind: 'instances' } {
  if (!names.every(isApiName)) throw new LabError(`not API instance names: ${names.join(', ')}`, 'BAD_INPUT');
  const api = running.find((s) => s.Spec?.Name === swarmServiceName(stack, 'api'));
  const slots = names.map(numberOf).sort((a, b) => a - b);
  const fromOne = slots.every((n, i) => n === i + 1);
  return api && replicasOf(api) === 0 && fromOne ? { kind: 'api-service', service: api } : { kind: 'instances' };
}

/** Starts the deploy's instances: `services` are the stack's planned Swarm services for a topology
 *  with `names` on their version, `specs` its planned specs, `ctx` what made them. */
export async function startInstances(
  docker: Docker,
  stack: string,
  names: string[],
  running: RunningService[],
  planned: { services: Docker.CreateServiceOptions[]; specs: ServiceSpec[]; ctx: SwarmContext },
  apply: (p: {
    create: Docker.CreateServiceOptions[];
    update: Array<{ id: string; version: number; spec: Docker.CreateServiceOptions; what: string[] }>;
  }) => Promise<void>,
): Promise<void> {
  const how = startPlan(stack, names, running);
  if (how.kind === 'api-service') {
    const spec = planned.services.find((s) => s.Name === how.service.Spec?.Name)!;
    // From no task to N on the new image: new tasks, no rollout to wait for (replicas alone).
    await apply({
      create: [],
      update: [{ id: how.service.ID, version: how.service.Version?.Index ?? 0, spec, what: ['replicas'] }],
    });
    return;
  }
  await apply({
    create: instanceServices(
      planned.specs.filter((s) => names.includes(s.name)),
      planned.ctx,
    ),
    update: [],
  });
}

/** Removes instances by name once drained (each task stopped with its grace period): a service of
 *  its own removed; the API service's tasks, all of them, by scaling it to none. */
export async function removeInstances(
  docker: Docker,
  stack: string,
  names: string[],
  running: RunningService[],
): Promise<void> {
  const own = running.filter((s) => names.includes(s.Spec?.Labels?.[LABEL.service] ?? ''));
  const ofApi = names.filter((n) => !own.some((s) => s.Spec?.Labels?.[LABEL.service] === n));
  const api = running.find((s) => s.Spec?.Name === swarmServiceName(stack, 'api'));
  const stopped: string[] = [];
  const removed: string[] = [];
  if (ofApi.length) {
    if (!api || replicasOf(api) !== ofApi.length)
      throw new LabError(
        `On Swarm the API service's tasks go all together; ${ofApi.join(', ')} are ${ofApi.length} of its ${api ? replicasOf(api) : 0}.`,
        'BAD_INPUT',
      );
    await scaleService(docker, api.ID, 0);
    stopped.push(api.Spec!.Name!);
  }
  for (const s of own) {
    await docker.getService(s.ID).remove();
    removed.push(s.Spec!.Name!);
  }
  await untilNoTask(docker, stopped, false);
  // A removed service's containers go with it: until then the stack's status would list them, exited.
  await untilNoTask(docker, removed, true);
}

/** Until Swarm runs no task of these services and no container of theirs runs on this engine (or,
 *  `all`, is left on it). */
async function untilNoTask(docker: Docker, services: string[], all: boolean): Promise<void> {
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  for (const name of services) {
    for (;;) {
      const containers = await docker.listContainers({ all, filters: { label: [`${TASK_SERVICE}=${name}`] } });
      const tasks = (await docker
        .listTasks({ filters: { service: [name], 'desired-state': ['running'] } })
        .catch(() => [])) as unknown[];
      if (!containers.length && !tasks.length) break;
      if (Date.now() > deadline) throw new LabError(`${name}'s tasks did not stop within 60 s`, 'UNHEALTHY');
      await sleep(300);
    }
  }
}
