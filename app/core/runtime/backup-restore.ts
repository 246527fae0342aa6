// database.backups on a Docker engine: pgBackRest's restore of the primary, run the way an
// operator runs it. The primary is stopped, a one-off container of the same image mounts its data
// volume and the repository volume and runs `pgbackrest restore --type=time`, then the primary
// starts again: PostgreSQL fetches the archived WAL it needs (restore_command), replays it up to
// the target and promotes itself.
import type Docker from 'dockerode';
import { SERVICE } from '../../contract/services.js';
import { BACKUP_REPO } from '../topology/plan.js';
import { execIn } from './docker-client.js';
import { LabError } from './errors.js';
import { containerName, volumeName } from './names.js';

const DATA = '/var/lib/postgresql/data';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SQL on a database container as the superuser over its socket; what psql printed (-At). Each
 *  statement of a list runs on its own (ALTER SYSTEM cannot run inside a transaction block). */
export async function sqlIn(docker: Docker, id: string, sql: string | string[], timeoutMs = 10_000): Promise<string> {
  const statements = (Array.isArray(sql) ? sql : [sql]).flatMap((s) => ['-c', s]);
  const res = await execIn(
    docker,
    docker.getContainer(id),
    ['psql', '-U', 'scalelab', '-d', 'scalelab', '-v', 'ON_ERROR_STOP=1', '-At', ...statements],
    timeoutMs,
  );
  if (res.exitCode !== 0) throw new LabError(`psql failed: ${res.output.trim()}`, 'EXEC_FAILED');
  return res.output.trim();
}

/** Restores the primary's data directory to `target` with pgBackRest (the primary is stopped),
 *  in a one-off container on this engine, which holds the primary's and the repository's volumes. */
export async function pgbackrestRestore(docker: Docker, stack: string, image: string, target: string): Promise<void> {
  const name = containerName(stack, `restore-${Date.now()}`);
  // The same settings the entrypoint writes, given on the command line: this container runs
  // nothing else. --delta rewrites only the files that differ from the backup.
  const c = await docker.createContainer({
    name,
    Image: image,
    Entrypoint: ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', 'pgbackrest'],
    Cmd: [
      '--config=/dev/null',
      '--stanza=scalelab',
      `--repo1-path=${BACKUP_REPO.path}`,
      `--pg1-path=${DATA}`,
      '--log-level-console=warn',
      '--log-level-file=off',
      '--delta',
      '--type=time',
      `--target=${target}`,
      '--target-action=promote',
      'restore',
    ],
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [
        { Type: 'volume', Source: volumeName(stack, SERVICE.primary), Target: DATA },
        { Type: 'volume', Source: volumeName(stack, BACKUP_REPO.name), Target: BACKUP_REPO.path },
      ],
    },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const logs = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      throw new LabError(`pgbackrest restore failed (exit ${StatusCode}): ${logs.toString().trim()}`, 'EXEC_FAILED');
    }
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** Stops the primary, restores it to `target`, starts it and waits until it has promoted itself. */
export async function restorePrimary(
  docker: Docker,
  stack: string,
  target: string,
  say: (message: string) => void,
): Promise<void> {
  const primary = docker.getContainer(containerName(stack, SERVICE.primary));
  const image = (await primary.inspect()).Config.Image;
  say('stopping the primary');
  await primary.stop({ t: 10 }).catch(() => undefined);
  say(`pgbackrest restore --type=time --target="${target}"`);
  try {
    await pgbackrestRestore(docker, stack, image, target);
  } catch (err) {
    // A drill stopped midway leaves the stack serving: the primary comes back as it was.
    await primary.start().catch(() => undefined);
    throw new LabError(
      `${(err as Error).message}. db-primary was started again without the restore: it serves, as it was before it.`,
      'EXEC_FAILED',
      '`scalelab backup --list` shows the backups; `scalelab logs db-primary` what PostgreSQL did.',
    );
  }
  say('starting the primary: it replays the archived WAL up to the target, then promotes itself');
  await primary.start();
  await untilPromoted(docker, () => primary.id);
}

/** Until the restored primary (the container `id` names, asked again each time: on Swarm a new
 *  task's) has promoted itself; then its recovery settings are reset. */
export async function untilPromoted(docker: Docker, id: () => string | Promise<string>): Promise<void> {
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    const now = await Promise.resolve(id()).catch(() => '');
    const inRecovery = now ? await sqlIn(docker, now, 'SELECT pg_is_in_recovery()').catch(() => null) : null;
    if (inRecovery === 'f') {
      // pgBackRest wrote its recovery settings into postgresql.auto.conf, and PostgreSQL keeps them
      // after promoting: a replica cloned from this primary would stop at the same target.
      await sqlIn(docker, now, [
        'ALTER SYSTEM RESET restore_command',
        'ALTER SYSTEM RESET recovery_target_time',
        'ALTER SYSTEM RESET recovery_target_action',
        'SELECT pg_reload_conf()',
      ]);
      return;
    }
    await sleep(500);
  }
  throw new LabError(
    'the restored primary did not finish its recovery within 3 minutes',
    'EXEC_FAILED',
    '`scalelab logs db-primary` shows how far it got.',
  );
}
