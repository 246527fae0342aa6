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

export function setRedisMemory(
  docker: Docker,
  id: string,
  maxMemoryMb: number,
  policy: string,
  password: string,
): Promise<string> {
  // The password through the environment (REDISCLI_AUTH), never on a command line others can read.
  return execChecked(
    docker,
    id,
    'cache',
    ['redis-cli', 'CONFIG', 'SET', 'maxmemory', `${maxMemoryMb}mb`, 'maxmemory-policy', policy],
    password ? [`REDISCLI_AUTH=${password}`] : [],
  );
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
