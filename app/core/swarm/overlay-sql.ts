// Queries on a database task over the stack's overlay, from this host, which is not on it: psql in
// the balancer's container (on the manager, attached to the overlay; every role's image carries
// PostgreSQL's client). The password travels in the exec's environment, not on its command line.
// Fields and rows are split by the ASCII unit and record separators, which no value here holds
// (JSON escapes control characters), so a value needs no quoting; NULL arrives as "".
import type Docker from 'dockerode';
import { execIn } from '../runtime/docker-client.js';
import type { DbRows } from '../runtime/db-rows.js';

const FIELD = '\x1f';
const RECORD = '\x1e';

export function overlayRows(docker: Docker, container: Docker.Container, password: string): DbRows {
  return async (address, database, sql) => {
    const [host, port] = address.split(':');
    const { exitCode, output } = await execIn(
      docker,
      container,
      [
        'psql',
        '-X',
        '-q',
        '-A',
        '-F',
        FIELD,
        '-R',
        RECORD,
        '-P',
        'footer=off',
        '-h',
        host!,
        '-p',
        port!,
        '-U',
        'scalelab',
        '-d',
        database,
        '-c',
        sql,
      ],
      5000,
      [
        `PGPASSWORD=${password}`,
        'PGCONNECT_TIMEOUT=2',
        // PgBouncer's console refuses startup options it does not know.
        ...(database === 'pgbouncer' ? [] : ['PGOPTIONS=-c statement_timeout=2000']),
      ],
    );
    if (exitCode !== 0) throw new Error(`psql at ${address} over the overlay: ${output.trim() || `exit ${exitCode}`}`);
    return parseRows(output);
  };
}

/** psql's unaligned output (header first) as rows of text. */
export function parseRows(output: string): Array<Record<string, string>> {
  const [head, ...records] = output.replace(/\n$/, '').split(RECORD);
  if (!head) return [];
  const columns = head.split(FIELD);
  return records.map((r) => Object.fromEntries(r.split(FIELD).map((v, i) => [columns[i], v])));
}
