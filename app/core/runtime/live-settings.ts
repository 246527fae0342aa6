// The convergence actions that change a running container in place, while load runs: limits
// through Docker's update, Redis and PostgreSQL settings and PgBouncer's pool through commands in
// the container, the expensive read's indexes on the primary.
import type Docker from 'dockerode';
import { SERVICE } from '../../contract/services.js';
import type { PlanContext } from '../topology/plan.js';
import type { ConvergeAction } from './convergence-plan.js';
import { containerName } from './names.js';
import {
  fullBackup,
  setArchiving,
  setPoolerConfig,
  setReadIndexes,
  setRedisConfig,
  setReplicaApplyDelay,
} from './role-commands.js';

export type LiveSettingAction = Extract<
  ConvergeAction,
  {
    kind:
      | 'update-limits'
      | 'update-cpuset'
      | 'redis-config'
      | 'replica-apply-delay'
      | 'db-indexes'
      | 'pooler-config'
      | 'db-backups';
  }
>;

export async function applyLiveSetting(
  docker: Docker,
  stack: string,
  a: LiveSettingAction,
  ctx: PlanContext,
  say: (service: string, message: string) => void,
): Promise<void> {
  switch (a.kind) {
    case 'update-limits': {
      const mem = a.memoryMb * 1024 * 1024;
      await Promise.all(
        a.ids.map(async (id, i) => {
          say(a.services[i], `limits: ${a.cpus} CPU, ${a.memoryMb} MB`);
          await docker.getContainer(id).update({ NanoCpus: Math.round(a.cpus * 1e9), Memory: mem, MemorySwap: mem });
        }),
      );
      return;
    }
    case 'update-cpuset': {
      // Every core is "0-(n-1)" of the engine's machine: Docker takes no empty cpuset on update.
      const cpuset = a.cpuset ?? `0-${Math.max(1, (await docker.info()).NCPU as number) - 1}`;
      await Promise.all(
        a.ids.map(async (id, i) => {
          say(a.services[i], a.cpuset ? `pinned to core ${a.cpuset}` : 'on every core');
          await docker.getContainer(id).update({ CpusetCpus: cpuset });
        }),
      );
      return;
    }
    case 'redis-config':
      say(
        SERVICE.cache,
        `maxmemory ${a.maxMemoryMb}mb, ${a.evictionPolicy}, appendonly ${a.appendOnly ? 'yes' : 'no'}`,
      );
      await setRedisConfig(docker, a.id, a, ctx.redisPassword ?? '');
      return;
    case 'replica-apply-delay':
      await Promise.all(
        a.ids.map(async (id, i) => {
          say(a.services[i], `recovery_min_apply_delay = ${a.ms} ms`);
          await setReplicaApplyDelay(docker, id, a.services[i], a.ms);
        }),
      );
      return;
    case 'db-indexes':
      say(a.service, a.present ? 'CREATE INDEX CONCURRENTLY for the expensive read' : 'DROP INDEX CONCURRENTLY');
      await setReadIndexes(docker, containerName(stack, a.service), a.service, a.present);
      return;
    case 'db-backups': {
      const id = containerName(stack, a.service);
      say(a.service, a.present ? 'archiving WAL to pgBackRest' : 'WAL archiving off');
      await setArchiving(docker, id, a.service, a.present);
      if (!a.present) return;
      say(a.service, 'taking a full backup with pgBackRest');
      await fullBackup(docker, id, a.service);
      say(a.service, 'full backup taken');
      return;
    }
    case 'pooler-config':
      await Promise.all(
        a.ids.map(async (id, i) => {
          say(a.services[i], `PgBouncer pool: ${a.poolSize} server connections, ${a.poolMode} mode`);
          await setPoolerConfig(docker, id, a.services[i], a.poolSize, a.poolMode);
        }),
      );
      return;
  }
}
