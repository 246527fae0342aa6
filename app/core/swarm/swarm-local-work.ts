// What a Swarm stack's runtime leaves to the local engine: the work inside the containers on this
// node (faults, logs, stats, SQL on the primary, the certificate, the edge purge, the images),
// reading the overlay through the balancer's container (HTTP, and SQL: replication lag), pgBackRest
// in the primary's task, and the balancer's weights.
import type Docker from 'dockerode';
import { isDbNodeName, SERVICE } from '../../contract/services.js';
import type { DockerRuntime } from '../runtime/docker-runtime.js';
import { containerName } from '../runtime/names.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';
import { fetchOnOverlay, overlayHttp } from './overlay-fetch.js';
import { swarmFault } from './swarm-faults.js';
import { overlayRows } from './overlay-sql.js';
import type { ServiceStatus } from '../../contract/stack.js';
import { StackNotRunningError } from '../runtime/errors.js';
import { readReplication } from '../runtime/replication.js';
import { primaryTaskContainer } from './swarm-backups.js';
import { leaderName } from '../runtime/ha-actions.js';

export abstract class LocalWork {
  constructor(
    readonly docker: Docker,
    protected readonly local: DockerRuntime,
  ) {}

  /** Through the balancer: a container on this node, on the overlay, with curl. */
  fetchOnOverlay: StackRuntime['fetchOnOverlay'] = (stack, urls) =>
    fetchOnOverlay(this.docker, this.docker.getContainer(containerName(stack, SERVICE.lb)), urls);
  /** As on one engine, but a database node or etcd member stays down until started (swarm-faults.ts). */
  fault: StackRuntime['fault'] = (stack, service, kind) =>
    swarmFault(this.docker, this.local, stack, service, kind, 90_000);
  logs: StackRuntime['logs'] = (stack, service, tail) => this.local.logs(stack, service, tail);
  events: StackRuntime['events'] = (stack, on) => this.local.events(stack, on);
  stats: StackRuntime['stats'] = (stack, on) => this.local.stats(stack, on);
  followLogs: StackRuntime['followLogs'] = (stack, service, on) => this.local.followLogs(stack, service, on);
  primarySql: StackRuntime['primarySql'] = (stack, sql, ms) => this.local.primarySql(stack, sql, ms);
  stackSecrets: StackRuntime['stackSecrets'] = (stack) => this.local.stackSecrets(stack);
  tlsCertificate: StackRuntime['tlsCertificate'] = (stack) => this.local.tlsCertificate(stack);
  purgeEdge: StackRuntime['purgeEdge'] = (stack, path) => this.local.purgeEdge(stack, path);
  checkAlertRules: StackRuntime['checkAlertRules'] = (stack, rules) => this.local.checkAlertRules(stack, rules);
  versions: StackRuntime['versions'] = () => this.local.versions();
  buildVersion: StackRuntime['buildVersion'] = (name, regression, p) => this.local.buildVersion(name, regression, p);
  versionImage: StackRuntime['versionImage'] = (version, p) => this.local.versionImage(version, p);
  reap: StackRuntime['reap'] = (only) => this.local.reap(only);

  /** The balancer's slots and weights, through HAProxy's runtime API in its container on this node. */
  balancerSlots: StackRuntime['balancerSlots'] = (stack) => this.local.balancerSlots(stack);
  setBalancerWeights: StackRuntime['setBalancerWeights'] = (stack, w) => this.local.setBalancerWeights(stack, w);

  /** Any method on the overlay (Patroni's REST API on a database task), from the balancer. */
  overlayHttp: StackRuntime['overlayHttp'] = (stack) =>
    overlayHttp(this.docker, this.docker.getContainer(containerName(stack, SERVICE.lb)));

  /** A database task, queried over the overlay (its tasks publish no port) from the balancer. */
  overlayDbRows: StackRuntime['overlayDbRows'] = (stack, password) =>
    overlayRows(this.docker, this.docker.getContainer(containerName(stack, SERVICE.lb)), password);

  /** Replication lag as on one engine (replication.ts), each node reached over the overlay, from
   *  whoever leads (under Patroni, asked over the overlay too: the router's presence says HA). */
  replication: StackRuntime['replication'] = async (stack) => {
    const services = await this.services(stack);
    const dbs = services.filter((s) => isDbNodeName(s.name) && s.state === 'running');
    const ha = services.some((s) => s.role === 'dbrouter');
    const leader = ha ? await leaderName(services, this.overlayHttp(stack)) : SERVICE.primary;
    const primary = dbs.find((s) => s.name === leader);
    if (!primary) throw new StackNotRunningError(stack);
    const { dbPassword } = await this.local.stackSecrets(stack);
    const ep = (s: ServiceStatus) => ({ name: s.name, host: s.name, port: 5432 });
    const replicas = dbs.filter((s) => s !== primary).sort((a, b) => a.name.localeCompare(b.name));
    return readReplication(ep(primary), replicas.map(ep), dbPassword, this.overlayDbRows(stack, dbPassword)!);
  };

  abstract services(stack: string): Promise<ServiceStatus[]>;

  /** pgBackRest in the primary's task on this node (swarm-backups.ts says why it is here). */
  backups: StackRuntime['backups'] = async (stack) => {
    await primaryTaskContainer(this.docker, stack);
    return this.local.backups(stack);
  };
  backup: StackRuntime['backup'] = async (stack, onProgress) => {
    await primaryTaskContainer(this.docker, stack);
    return this.local.backup(stack, onProgress);
  };
}
