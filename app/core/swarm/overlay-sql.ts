// A query on a database task over the stack's overlay, from this host, which is not on it: psql in
// the balancer's container (on the manager, attached to the overlay; every role's image carries
// PostgreSQL's client). The password travels in the exec's environment, not on its command line.
import type Docker from 'dockerode';
import { execIn } from '../runtime/docker-client.js';
import type { JsonQuery } from '../runtime/replication.js';

export function overlayJsonQuery(docker: Docker, container: Docker.Container, password: string): JsonQuery {
  return async (ep, sql) => {
    const { exitCode, output } = await execIn(
      docker,
      container,
      [
        'psql',
        '-X',
        '-q',
        '-A',
        '-t',
        '-h',
        ep.host,
        '-p',
        String(ep.port),
        '-U',
        'scalelab',
        '-d',
        'scalelab',
        '-c',
        sql,
      ],
      5000,
      [`PGPASSWORD=${password}`, 'PGCONNECT_TIMEOUT=2', 'PGOPTIONS=-c statement_timeout=2000'],
    );
    if (exitCode !== 0) throw new Error(`psql on ${ep.name} over the overlay: ${output.trim() || `exit ${exitCode}`}`);
    return JSON.parse(output);
  };
}
