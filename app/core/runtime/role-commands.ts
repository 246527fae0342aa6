// Commands run inside a role's container for live changes and faults: redis-cli for Redis
// settings, psql for a replica's apply delay and its replay, pooler-config.sh for PgBouncer. Beside api-admin.ts, which does the
// same for the API over HTTP.
import type Docker from 'dockerode';
import { execIn } from './docker-client.js';
import { LabError } from './errors.js';

async function execChecked(
  docker: Docker,
  id: string,
  service: string,
  cmd: string[],
  env: string[] = [],
  timeoutMs = 10_000,
): Promise<string> {
  const res = await execIn(docker, docker.getContainer(id), cmd, timeoutMs, env);
  if (res.exitCode !== 0) {
    throw new LabError(`${cmd[0]} failed in ${service}: ${res.output.trim()}`, 'EXEC_FAILED');
  }
  return res.output;
}

const psql = (...sql: string[]) => [
  'psql',
  '-U',
  'scalelab',
  '-d',
  'scalelab',
  '-v',
  'ON_ERROR_STOP=1',
  ...sql.flatMap((q) => ['-qc', q]),
];

export async function setRedisConfig(
  docker: Docker,
  id: string,
  c: { maxMemoryMb: number; evictionPolicy: string; appendOnly: boolean },
  password: string,
): Promise<void> {
  // The password through the environment (REDISCLI_AUTH), never on a command line others can read.
  const env = password ? [`REDISCLI_AUTH=${password}`] : [];
  const set = ['maxmemory', `${c.maxMemoryMb}mb`, 'maxmemory-policy', c.evictionPolicy];
  await execChecked(
    docker,
    id,
    'cache',
    ['redis-cli', 'CONFIG', 'SET', ...set, 'appendonly', c.appendOnly ? 'yes' : 'no'],
    env,
  );
  // Into the config file too (cache-entrypoint.sh): a restarted container starts as it was left.
  await execChecked(docker, id, 'cache', ['redis-cli', 'CONFIG', 'REWRITE'], env);
}

export function setReplicaApplyDelay(docker: Docker, id: string, service: string, ms: number): Promise<string> {
  const delay = Math.max(0, Math.round(ms));
  return execChecked(
    docker,
    id,
    service,
    psql(`ALTER SYSTEM SET recovery_min_apply_delay = '${delay}ms'`, 'SELECT pg_reload_conf()'),
  );
}

export function setReplayPaused(docker: Docker, id: string, service: string, paused: boolean): Promise<string> {
  return execChecked(
    docker,
    id,
    service,
    psql(`SELECT ${paused ? 'pg_wal_replay_pause()' : 'pg_wal_replay_resume()'}`),
  );
}

/** Rewrites PgBouncer's pool on a database node and reloads it (stack/db/pooler-config.sh). */
export function setPoolerConfig(
  docker: Docker,
  id: string,
  service: string,
  poolSize: number,
  poolMode: string,
): Promise<string> {
  return execChecked(docker, id, service, [
    'setpriv',
    '--reuid=postgres',
    '--regid=postgres',
    '--init-groups',
    '/opt/scalelab/pooler-config.sh',
    String(poolSize),
    poolMode,
  ]);
}

/** The indexes the expensive read (top products of a category) needs: orders by product, with
 *  what it sums, and products by category. */
export const READ_INDEXES = [
  { name: 'orders_product_id_idx', definition: 'orders (product_id) INCLUDE (quantity, unit_price)' },
  { name: 'products_category_id_idx', definition: 'products (category_id)' },
] as const;

/** Builds (CONCURRENTLY: writes go on meanwhile) or drops the expensive read's indexes on the
 *  primary. A build an earlier attempt left invalid is dropped first. */
export function setReadIndexes(docker: Docker, id: string, service: string, present: boolean): Promise<string> {
  const sql = present
    ? READ_INDEXES.flatMap((i) => [
        `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('${i.name}') AND NOT indisvalid) THEN EXECUTE 'DROP INDEX ${i.name}'; END IF; END $$`,
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${i.name} ON ${i.definition}`,
      ]).concat(['VACUUM (ANALYZE) orders', 'ANALYZE products'])
    : READ_INDEXES.map((i) => `DROP INDEX CONCURRENTLY IF EXISTS ${i.name}`).concat([
        'ANALYZE orders',
        'ANALYZE products',
      ]);
  // Building over the seeded 300,000 orders takes a second or two; under load, longer.
  return execChecked(docker, id, service, psql(...sql), [], 300_000);
}

const asPostgres = (...cmd: string[]) => ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', ...cmd];
const ARCHIVE_PUSH = 'pgbackrest --stanza=scalelab archive-push %p';

/** WAL archiving to pgBackRest's repository on (with the stanza made, once) or off ('/bin/true'
 *  lets each segment go). archive_mode is on from the start, so this is a reload, not a restart. */
export async function setArchiving(docker: Docker, id: string, service: string, on: boolean): Promise<void> {
  if (on)
    await execChecked(docker, id, service, asPostgres('pgbackrest', '--stanza=scalelab', 'stanza-create'), [], 60_000);
  await execChecked(
    docker,
    id,
    service,
    psql(`ALTER SYSTEM SET archive_command = '${on ? ARCHIVE_PUSH : '/bin/true'}'`, 'SELECT pg_reload_conf()'),
  );
}

/** A full backup with pgBackRest (checkpoint at once, start-fast); the repository keeps two. */
export function fullBackup(docker: Docker, id: string, service: string): Promise<string> {
  return execChecked(
    docker,
    id,
    service,
    asPostgres('pgbackrest', '--stanza=scalelab', '--type=full', '--log-level-console=warn', 'backup'),
    [],
    600_000,
  );
}

/** pgBackRest's view of the repository (`info --output=json`): the stanza's backups. */
export async function backupInfo(
  docker: Docker,
  id: string,
  service: string,
): Promise<Array<{ label: string; type: string; start: number; stop: number; size: number; repoSize: number }>> {
  const out = await execChecked(
    docker,
    id,
    service,
    asPostgres('pgbackrest', '--stanza=scalelab', '--output=json', 'info'),
    [],
    30_000,
  );
  const json = JSON.parse(out.slice(out.indexOf('['))) as Array<{
    backup?: Array<{
      label: string;
      type: string;
      timestamp: { start: number; stop: number };
      info: { size: number; repository: { size: number } };
    }>;
  }>;
  return (json[0]?.backup ?? []).map((b) => ({
    label: b.label,
    type: b.type,
    start: b.timestamp.start * 1000,
    stop: b.timestamp.stop * 1000,
    size: b.info.size,
    repoSize: b.info.repository.size,
  }));
}
