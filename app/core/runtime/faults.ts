// Faults, as a user injects them into one service: Docker's own container operations (kill, stop,
// pause...), a slow container (its CPU limit cut to a tenth with `docker update`, as a noisy
// neighbour would, and given back), and, for a replica, pausing its WAL replay. A fault that needs
// a running container that is not says so and what to do, instead of Docker's bare 409.
import type Docker from 'dockerode';
import { SLOW_CPU_SHARE, type FaultKind } from '../../contract/stack.js';
import { isReplicaName } from '../../contract/services.js';
import { LabError } from './errors.js';
import { setReplayPaused } from './role-commands.js';
import type { ContainerInfo } from './stack-observer.js';

export async function injectFault(
  docker: Docker,
  info: ContainerInfo,
  service: string,
  kind: FaultKind,
  /** The service's CPU limit in its topology (null: it has none the topology sets). */
  cpus: number | null = null,
): Promise<void> {
  try {
    await inject(docker, info, service, kind, cpus);
  } catch (err) {
    // Docker answers 409 for a fault that needs a running (or paused) container that is not.
    if ((err as { statusCode?: number }).statusCode === 409) {
      throw new LabError(
        `${service} is not running (${info.State}): ${kind} needs it ${kind === 'unpause' ? 'paused' : 'running'}.`,
        'BAD_INPUT',
        `Start it with \`scalelab fault start ${service}\`, or heal the whole stack with \`scalelab up\`.`,
      );
    }
    throw err;
  }
}

async function inject(
  docker: Docker,
  info: ContainerInfo,
  service: string,
  kind: FaultKind,
  cpus: number | null,
): Promise<void> {
  const container = docker.getContainer(info.Id);
  switch (kind) {
    case 'slow':
    case 'unslow': {
      if (cpus === null)
        throw new LabError(
          `${kind} applies to an API instance or a database node, not to ${service}`,
          'BAD_INPUT',
          'Pick api-N, db-primary, a replica or a shard.',
        );
      if (info.State !== 'running') throw Object.assign(new Error('not running'), { statusCode: 409 });
      // Docker's smallest limit is 0.01 CPU.
      const limit = kind === 'slow' ? Math.max(0.01, cpus * SLOW_CPU_SHARE) : cpus;
      return void (await container.update({ NanoCpus: Math.round(limit * 1e9) }));
    }
    case 'kill':
      return void (await container.kill());
    case 'stop':
      return void (await container.stop({ t: 10 }));
    case 'pause':
      return void (await container.pause());
    case 'unpause':
      return void (await container.unpause());
    case 'restart':
      return void (await container.restart({ t: 10 }));
    case 'start':
      return void (await container.start());
    case 'pause-replay':
    case 'resume-replay':
      if (!isReplicaName(service)) throw new LabError(`${kind} applies to a replica, not to ${service}`, 'BAD_INPUT');
      await setReplayPaused(docker, info.Id, service, kind === 'pause-replay');
      return;
    default:
      throw new LabError(`unknown fault "${kind as string}"`, 'BAD_INPUT');
  }
}
