// A change's database steps on Swarm, beside the services' convergence: before it, the database
// tier removed with its data when Patroni is switched or etcd changes (swarm-ha.ts says why);
// after it, archiving switched (backups) and the cluster's settings sent through Patroni.
import type Docker from 'dockerode';
import type { HttpVia } from '../database/patroni.js';
import { applyPatroniConfig } from '../runtime/ha-actions.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import type { Topology } from '../topology/schema.js';
import type { ServiceStatus } from '../../contract/stack.js';
import { setSwarmBackups } from './swarm-backups.js';
import { DATABASE_TIER_ROLES, patroniChange, recreatesDatabaseTier } from './swarm-ha.js';
import { removeWithData } from './swarm-teardown.js';

export async function beforeServices(
  docker: Docker,
  stack: string,
  changes: Array<{ field: string }>,
  running: Array<{ ID: string; Spec?: Docker.ServiceSpec }>,
  onProgress: ProgressSink,
): Promise<void> {
  if (!recreatesDatabaseTier(changes)) return;
  await removeWithData(
    docker,
    stack,
    running,
    (_name, role) => DATABASE_TIER_ROLES.includes(role),
    'recreating the database tier (data seeded again)',
    onProgress,
  );
}

export async function afterServices(
  docker: Docker,
  stack: string,
  from: Topology,
  to: Topology,
  reach: { services: () => Promise<ServiceStatus[]>; overlay: HttpVia | null },
  onProgress: ProgressSink,
): Promise<void> {
  if (from.database.backups !== to.database.backups)
    await setSwarmBackups(docker, stack, to.database.backups, onProgress);
  const patroni = patroniChange(from, to);
  if (patroni)
    await applyPatroniConfig(
      await reach.services(),
      patroni,
      (service, message) => onProgress({ service, phase: 'update', message, at: Date.now() }),
      reach.overlay,
    );
}
