// The database's own operations on a Docker stack: replication lag (from whoever leads), and
// pgBackRest's backups and point-in-time restore of the primary. DockerRuntime delegates here.
import type Docker from 'dockerode';
import { isDbNodeName, isReplicaName, SERVICE } from '../../contract/services.js';
import type { BackupInfo, ReplicaLag, ServiceStatus } from '../../contract/stack.js';
import type { Topology } from '../topology/schema.js';
import { restorePrimary, sqlIn } from './backup-restore.js';
import { NoSuchServiceError, StackNotRunningError } from './errors.js';
import { leaderName } from './ha-actions.js';
import { readReplication } from './replication.js';
import { backupInfo, fullBackup } from './role-commands.js';
import type { ServiceLifecycle } from './service-lifecycle.js';
import { serviceOf, toServiceStatus, type ContainerInfo, type StackObserver } from './stack-observer.js';
import type { ProgressSink } from './stack-runtime.js';

export class DatabaseOps {
  constructor(
    private readonly docker: Docker,
    private readonly observer: StackObserver,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  async replication(stack: string): Promise<ReplicaLag[]> {
    const cs = await this.observer.containers(stack);
    const services = cs.map((c) => toServiceStatus(c, stack));
    const ep = (s: ServiceStatus) => {
      const [host, port] = s.ports.db.split(':');
      return { name: s.name, host, port: Number(port) };
    };
    const leader = await leaderName(services);
    const primary = services.find((s) => s.name === leader && s.ports.db);
    if (!primary) throw new StackNotRunningError(stack);
    const replicas = services
      .filter((s) => isDbNodeName(s.name) && s.name !== leader && s.ports.db && s.state === 'running')
      .sort((a, b) => a.name.localeCompare(b.name));
    const { dbPassword } = await this.observer.secrets(stack, cs);
    return readReplication(ep(primary), replicas.map(ep), dbPassword);
  }

  private async runningPrimary(stack: string): Promise<ContainerInfo> {
    const cs = await this.observer.containers(stack);
    const info = cs.find((c) => serviceOf(c) === SERVICE.primary);
    if (!info) throw new NoSuchServiceError(SERVICE.primary, cs.map(serviceOf));
    if (info.State !== 'running') throw new StackNotRunningError(stack);
    return info;
  }

  async backups(stack: string): Promise<BackupInfo[]> {
    return backupInfo(this.docker, (await this.runningPrimary(stack)).Id, SERVICE.primary);
  }

  async backup(stack: string, onProgress: ProgressSink): Promise<BackupInfo> {
    const { Id } = await this.runningPrimary(stack);
    onProgress({ service: SERVICE.primary, phase: 'update', message: 'full backup (pgBackRest)', at: Date.now() });
    await fullBackup(this.docker, Id, SERVICE.primary);
    const all = await backupInfo(this.docker, Id, SERVICE.primary);
    return all[all.length - 1];
  }

  async primarySql(stack: string, sql: string, timeoutMs?: number): Promise<string> {
    return sqlIn(this.docker, (await this.runningPrimary(stack)).Id, sql, timeoutMs);
  }

  /** Restores the primary to `target`, then clones the replicas again (`up` heals them: their
   *  containers and volumes are gone). Returns the replicas recloned. */
  async restore(
    stack: string,
    target: string,
    onProgress: ProgressSink,
    up: (t: Topology) => Promise<unknown>,
  ): Promise<string[]> {
    await this.runningPrimary(stack);
    await restorePrimary(this.docker, stack, target, (message) =>
      onProgress({ service: SERVICE.primary, phase: 'update', message, at: Date.now() }),
    );
    // The replicas followed the old timeline past the target: cloned again from the restored primary.
    const replicas = (await this.observer.containers(stack)).filter((c) => isReplicaName(serviceOf(c)));
    await this.lifecycle.remove(
      stack,
      replicas.map((c) => ({ id: c.Id, service: serviceOf(c), running: c.State === 'running' })),
      onProgress,
      { volumes: true },
    );
    const topology = await this.observer.currentTopology(stack);
    if (replicas.length && topology) await up(topology);
    return replicas.map(serviceOf);
  }
}
