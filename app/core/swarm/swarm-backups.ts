// database.backups on Swarm: pgBackRest as on one engine, in the primary's task. The primary is
// pinned to the manager where it may run (swarm-placement.ts), and its repository is a volume
// beside its data there, so the backups, the archiving switch and the restore's one-off container
// are this engine's work on its own containers. What differs is stopping the primary: Swarm
// replaces a task that stops, so the restore scales its service to none, restores the volume,
// and scales it back to one, whose new task replays the archived WAL and promotes itself.
import type Docker from 'dockerode';
import { isReplicaName, SERVICE } from '../../contract/services.js';
import { pgbackrestRestore, untilPromoted } from '../runtime/backup-restore.js';
import { LabError } from '../runtime/errors.js';
import { LABEL } from '../runtime/names.js';
import { fullBackup, setArchiving } from '../runtime/role-commands.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { removeWithData } from './swarm-teardown.js';
import { scaleService } from './swarm-service-steps.js';
import { swarmServiceName } from './swarm-spec.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Backups need the primary on this node: refused in words, before anything is made, where its
 *  pin is another node (a database label the manager does not carry). Pure. */
export function backupsProblem(
  dbPins: Record<string, string>,
  manager: string,
  dbNodeLabel = 'scalelab.db',
): LabError | null {
  const node = dbPins[SERVICE.primary];
  if (!node || node === manager) return null;
  return new LabError(
    `Backups on Swarm need db-primary on the manager (${manager}): ScaleLab runs pgBackRest in its task, and its repository is a volume beside it; it is pinned to ${node}.`,
    'BAD_INPUT',
    `Label the manager for databases too (\`docker node update --label-add ${dbNodeLabel}=true ${manager}\`) and bring the stack up again, or run backups on the local engine.`,
  );
}

/** The primary's task container on this engine, running; a clear error where there is none. */
export async function primaryTaskContainer(docker: Docker, stack: string): Promise<Docker.ContainerInfo> {
  const [c] = await docker.listContainers({
    filters: { label: [`${LABEL.stack}=${stack}`, `${LABEL.service}=${SERVICE.primary}`], status: ['running'] },
  });
  if (!c)
    throw new LabError(
      `db-primary has no running task on this node: backups run in its task here.`,
      'BAD_INPUT',
      '`scalelab status` shows where it runs; wait for Swarm to start it again, then retry.',
    );
  return c;
}

/** Stops the primary (its service scaled to none), restores its volume to `target`, and starts it
 *  again; resolves once it has promoted itself. A failed restore starts it again as it was. */
export async function restoreSwarmPrimary(
  docker: Docker,
  stack: string,
  target: string,
  say: (message: string) => void,
): Promise<void> {
  const task = await primaryTaskContainer(docker, stack);
  const [svc] = await docker.listServices({ filters: { name: [swarmServiceName(stack, SERVICE.primary)] } });
  if (!svc) throw new LabError(`db-primary is not a service of stack "${stack}"`, 'BAD_INPUT');
  say('stopping the primary: its Swarm service scaled to none (Swarm would replace a task that stops)');
  await scaleService(docker, svc.ID, 0);
  const deadline = Date.now() + 60_000;
  while ((await docker.getContainer(task.Id).inspect()).State.Running) {
    if (Date.now() > deadline) throw new LabError('db-primary did not stop within 60 s', 'UNHEALTHY');
    await sleep(300);
  }
  say(`pgbackrest restore --type=time --target="${target}"`);
  try {
    await pgbackrestRestore(docker, stack, task.Image, target);
  } catch (err) {
    await scaleService(docker, svc.ID, 1).catch(() => undefined);
    throw new LabError(
      `${(err as Error).message}. db-primary was started again without the restore: it serves, as it was before it.`,
      'EXEC_FAILED',
      '`scalelab backup --list` shows the backups; `scalelab logs db-primary` what PostgreSQL did.',
    );
  }
  say('starting the primary (one task again): it replays the archived WAL up to the target, then promotes itself');
  await scaleService(docker, svc.ID, 1);
  await untilPromoted(docker, async () => (await primaryTaskContainer(docker, stack)).Id);
}

/** database.backups switched: WAL archiving in the primary's task (a reload, as on one engine),
 *  and a first full backup when switched on. */
export async function setSwarmBackups(docker: Docker, stack: string, on: boolean, onProgress: ProgressSink) {
  const { Id } = await primaryTaskContainer(docker, stack);
  const say = (message: string) => onProgress({ service: SERVICE.primary, phase: 'update', message, at: Date.now() });
  say(on ? 'archiving WAL to pgBackRest' : 'WAL archiving off');
  await setArchiving(docker, Id, SERVICE.primary, on);
  if (!on) return;
  say('taking a full backup with pgBackRest');
  await fullBackup(docker, Id, SERVICE.primary);
  say('full backup taken');
}

/** After a restore, the replicas followed the old timeline past the target: their services and
 *  volumes removed, to be made anew (cloned from the restored primary). Returns their names. */
export function removeReplicas(
  docker: Docker,
  stack: string,
  services: Array<{ ID: string; Spec?: Docker.ServiceSpec }>,
  onProgress: ProgressSink,
): Promise<string[]> {
  return removeWithData(docker, stack, services, isReplicaName, 'removing the replica to clone it again', onProgress);
}
