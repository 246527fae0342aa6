// The StackRuntime on Docker Swarm (--target swarm): the same topology, each role a Swarm service
// on an attachable overlay network, the API instances one service's replicas (swarm-spec.ts), the
// balancer a container on the manager published on 127.0.0.1 and attached to the overlay. Swarm
// itself replaces a task that dies. What happens inside a task's container (faults, logs, stats,
// SQL, secrets) is the local engine's work on the manager's tasks, so it is the DockerRuntime's
// (swarm-local-work.ts). It runs the API, the balancer, Redis, PostgreSQL with its replicas and
// PgBouncer, each database pinned to a node (swarm-placement.ts), Patroni with etcd and the router
// (swarm-ha.ts), monitoring (swarm-monitoring.ts), backups and a point-in-time restore
// (swarm-backups.ts), shards, rolling, blue-green and canary deploys (swarm-instances.ts); apply
// updates, creates or removes services as Swarm does (swarm-apply.ts, the database's own steps in
// swarm-db-changes.ts) and reshards a running stack (swarm-reshard.ts); status adds the tasks on
// other nodes (swarm-view.ts).
import type Docker from 'dockerode';
import type { ApplyResult, NodeAvailability, ServiceStatus, StackStatus } from '../../contract/stack.js';
import { DockerRuntime, type DockerRuntimeOptions } from '../runtime/docker-runtime.js';
import { createDocker } from '../runtime/docker-client.js';
import { StackNotRunningError } from '../runtime/errors.js';
import { checkStackName, LABEL } from '../runtime/names.js';
import { ServiceLifecycle } from '../runtime/service-lifecycle.js';
import { StackObserver } from '../runtime/stack-observer.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import { StackStateFile } from '../runtime/stack-state.js';
import { diff } from '../topology/diff.js';
import { plan, type ServiceSpec } from '../topology/plan.js';
import { applyServices, planServices } from './swarm-apply.js';
import { changeAvailability } from './swarm-drain.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { baseImageTag } from '../runtime/images.js';
import { checkSwarm, type SwarmFacts } from './swarm-check.js';
import { registryPlan, type RegistrySetting } from './registry.js';
import { k6Generators } from './registry-service.js';
import { removeServiceVolumes, removeSwarmStack } from './swarm-teardown.js';
import type { SwarmGenerators } from '../load/k6-generators.js';
import { refuseUnlessSwarmRuns } from './swarm-spec.js';
import { reshardOf } from '../runtime/reshard-plan.js';
import { refuseReshardWithTier, reshardSwarm, tunnelTargets } from './swarm-reshard.js';
import { openTunnel } from './overlay-tunnel.js';
import { afterServices, beforeServices } from './swarm-db-changes.js';
import { waitTasks } from './swarm-service-steps.js';
import { LocalWork } from './swarm-local-work.js';
import { serviceSpecs } from './swarm-service-specs.js';
import { removeInstances, startInstances } from './swarm-instances.js';
import { removeReplicas, restoreSwarmPrimary, setSwarmBackups } from './swarm-backups.js';
import { SERVICE } from '../../contract/services.js';
import { withSwarmMonitoring } from './swarm-monitoring.js';
import { SwarmEntries } from './swarm-entries.js';
import { nodeCounts, readSwarmView, swarmStatus } from './swarm-view.js';

export interface SwarmRuntimeOptions extends DockerRuntimeOptions {
  /** Databases are kept to nodes with this label set to true (`docker node update --label-add`). */
  dbNodeLabel?: string;
  /** Where the nodes pull the images from (SCALELAB_SWARM_REGISTRY; registry.ts). */
  registry?: RegistrySetting;
}

const noProgress: ProgressSink = () => undefined;
/** The order services start in: etcd, then the primary (under Patroni, the node that bootstraps
 *  the cluster and leads), the other databases, the router, then the API (the entry points last,
 *  as containers). */
const START_ORDER: string[][] = [['etcd'], [SERVICE.primary, 'cache'], ['db'], ['dbrouter'], ['api', 'redis-exporter']];

export class SwarmRuntime extends LocalWork implements StackRuntime {
  private readonly state: StackStateFile;
  private readonly observer: StackObserver;
  private readonly entries: SwarmEntries;

  constructor(private readonly opts: SwarmRuntimeOptions) {
    const docker = opts.docker ?? createDocker();
    super(docker, new DockerRuntime({ ...opts, docker }));
    this.state = new StackStateFile(opts.dataDir);
    this.observer = new StackObserver(this.docker, this.state, opts.seed);
    this.entries = new SwarmEntries(this.docker, this.observer, new ServiceLifecycle(this.docker, opts));
  }

  /** The engine answers and is a Swarm manager (and the database's node label is on a node). */
  async ping(): Promise<void> {
    await this.ready();
  }

  /** ping(), keeping what it read of the Swarm for the step that follows. */
  private async ready(): Promise<SwarmFacts> {
    await this.local.ping();
    return checkSwarm(this.docker, this.opts.dbNodeLabel);
  }

  prepareImages(topology: Topology, onProgress: ProgressSink = noProgress) {
    return this.local.prepareImages(topology, onProgress);
  }

  async up(stack: string, topology: Topology, onProgress: ProgressSink = noProgress): Promise<StackStatus> {
    checkStackName(stack);
    const t = parseTopology(topology);
    const facts = await this.ready();
    const ctx = await this.observer.secrets(stack, await this.observer.containers(stack));
    const specs = withSwarmMonitoring(stack, t, plan(t, ctx));
    refuseUnlessSwarmRuns(t, specs);
    if ((await this.stackServices(stack)).length) {
      await this.apply(stack, t, onProgress);
      return this.status(stack);
    }
    const { services, images } = await serviceSpecs(
      this.docker,
      this.local,
      this.opts,
      { stack, t, specs, facts, running: [] },
      onProgress,
    );
    const all = { create: services, update: [], remove: [] };
    await applyServices(this.docker, all, START_ORDER, (s) => this.waitTasks(s, onProgress), onProgress);
    await this.entries.start(stack, specs, images, ctx.dbPassword, onProgress);
    if (t.database.backups) await setSwarmBackups(this.docker, stack, true, onProgress);
    this.state.write(stack, t);
    return this.status(stack);
  }

  /** A change as Swarm makes one (swarm-apply.ts): services updated (rolling for the API),
   *  created or removed; the balancer, a container on this node, made again when its own spec
   *  changed. What Swarm cannot run is refused first, changing nothing. */
  async apply(
    stack: string,
    nextOf: Topology | ((current: Topology) => Topology),
    onProgress: ProgressSink = noProgress,
  ): Promise<ApplyResult> {
    checkStackName(stack);
    const facts = await this.ready();
    const from = await this.topology(stack);
    if (!from) throw new StackNotRunningError(stack);
    const to = parseTopology(typeof nextOf === 'function' ? nextOf(from) : nextOf);
    const changes = diff(from, to);
    const ctx = await this.observer.secrets(stack, await this.observer.containers(stack));
    const specs = withSwarmMonitoring(stack, to, plan(to, ctx));
    refuseUnlessSwarmRuns(to, specs);
    const reshard = reshardOf(from, to);
    if (reshard) refuseReshardWithTier(changes);
    const before = withSwarmMonitoring(stack, from, plan(from, ctx));
    let rebalance;
    if (changes.length) {
      await beforeServices(this.docker, stack, changes, await this.stackServices(stack), onProgress);
      if (reshard)
        rebalance = await reshardSwarm(reshard, {
          ...{ from, to, before, after: specs, password: ctx.dbPassword },
          converge: async (t, s) => void (await this.converge(stack, t, s, facts, onProgress)),
          tunnel: (hosts) => openTunnel(this.docker, stack, baseImageTag(this.opts.stackDir), tunnelTargets(hosts)),
          onProgress,
        });
      const images = await this.converge(stack, to, specs, facts, onProgress);
      await this.entries.change(stack, before, specs, images, ctx.dbPassword, onProgress);
      const reach = { services: () => this.services(stack), overlay: this.overlayHttp(stack) };
      await afterServices(this.docker, stack, from, to, reach, onProgress);
    }
    this.state.write(stack, to);
    return { changes, ...(rebalance ? { rebalance } : {}), topology: to, status: await this.status(stack) };
  }

  /** The stack's services made what `specs` plan: each one created, updated or removed as Swarm
   *  does (swarm-apply.ts), and the volumes of those removed with them; returns the images. */
  private async converge(
    stack: string,
    t: Topology,
    specs: ServiceSpec[],
    facts: SwarmFacts,
    onProgress: ProgressSink,
  ) {
    const running = await this.stackServices(stack);
    const { services, images } = await serviceSpecs(
      this.docker,
      this.local,
      this.opts,
      { stack, t, specs, facts, running },
      onProgress,
    );
    const planned = planServices(running, services);
    await applyServices(this.docker, planned, START_ORDER, (s) => this.waitTasks(s, onProgress), onProgress);
    const gone = new Set(planned.remove.map((r) => r.id));
    await removeServiceVolumes(
      this.docker,
      stack,
      running.filter((r) => gone.has(r.ID)),
      onProgress,
    );
    return images;
  }

  /** Point-in-time recovery of the primary (swarm-backups.ts), then each replica cloned again:
   *  its service and volume removed (it followed the old timeline past the target) and made anew. */
  async restore(stack: string, target: string, onProgress: ProgressSink = noProgress): Promise<string[]> {
    checkStackName(stack);
    const facts = await this.ready();
    const t = await this.topology(stack);
    if (!t) throw new StackNotRunningError(stack);
    await restoreSwarmPrimary(this.docker, stack, target, (message) =>
      onProgress({ service: SERVICE.primary, phase: 'update', message, at: Date.now() }),
    );
    const replicas = await removeReplicas(this.docker, stack, await this.stackServices(stack), onProgress);
    const ctx = await this.observer.secrets(stack, await this.observer.containers(stack));
    await this.converge(stack, t, withSwarmMonitoring(stack, t, plan(t, ctx)), facts, onProgress);
    return replicas;
  }

  /** Removes the stack's services (Swarm stops their tasks), then its balancer, overlay and volumes. */
  async down(stack: string, onProgress: ProgressSink = noProgress): Promise<void> {
    checkStackName(stack);
    await this.local.ping();
    await removeSwarmStack(this.docker, stack, onProgress, () => this.local.down(stack, onProgress));
  }

  async topology(stack: string): Promise<Topology | null> {
    return (await this.stackServices(checkStackName(stack))).length ? this.local.topology(stack) : null;
  }

  async listStacks(): Promise<string[]> {
    const services = await this.docker.listServices({ filters: { label: [LABEL.stack] } });
    const names = services.map((s) => s.Spec?.Labels?.[LABEL.stack] ?? '');
    return [...new Set([...(await this.local.listStacks()), ...names])].filter(Boolean).sort();
  }

  // ---------------------------------------------------------------- Swarm's own steps

  private stackServices(stack: string) {
    return this.docker.listServices({ filters: { label: [`${LABEL.stack}=${stack}`] } });
  }

  /** A blue-green or canary deploy's instances (swarm-instances.ts): started on `version`, each
   *  healthy before this resolves. */
  async startApiInstances(stack: string, names: string[], version: string, onProgress: ProgressSink = noProgress) {
    checkStackName(stack);
    const facts = await this.ready();
    const t = await this.topology(stack);
    if (!t) throw new StackNotRunningError(stack);
    const highest = Math.max(...names.map((n) => Number(n.slice('api-'.length))));
    const tv = { ...t, api: { ...t.api, version, instances: highest } };
    const ctx = await this.observer.secrets(stack, await this.observer.containers(stack));
    const specs = withSwarmMonitoring(stack, tv, plan(tv, ctx));
    const running = await this.stackServices(stack);
    const planned = await serviceSpecs(
      this.docker,
      this.local,
      this.opts,
      { stack, t: tv, specs, facts, running },
      onProgress,
    );
    await startInstances(this.docker, stack, names, running, { ...planned, specs }, (p) =>
      applyServices(this.docker, { ...p, remove: [] }, [['api']], (s) => this.waitTasks(s, onProgress), onProgress),
    );
  }

  async removeApiInstances(stack: string, names: string[], onProgress: ProgressSink = noProgress) {
    checkStackName(stack);
    onProgress({ service: names.join(', '), phase: 'remove', message: 'draining and removing', at: Date.now() });
    await removeInstances(this.docker, stack, names, await this.stackServices(stack));
  }

  private waitTasks(s: Docker.ServiceSpec, onProgress: ProgressSink): Promise<void> {
    return waitTasks(this.docker, s, onProgress, this.opts.healthTimeoutMs ?? 90_000);
  }

  /** A k6 run's generators as one service over the nodes; its image through the stack's registry. */
  async swarmGenerators(stack: string): Promise<SwarmGenerators> {
    const facts = await this.ready();
    const registry = registryPlan(this.opts.registry ?? 'auto', facts.nodes.length, facts.nodeAddr);
    return k6Generators(this.docker, registry, baseImageTag(this.opts.stackDir), stack);
  }

  swarmNodeCounts(): Promise<{ active: number; drained: number }> {
    return nodeCounts(this.docker);
  }

  /** Drains a node (Swarm moves its tasks to the others) or makes it active again; resolves once
   *  every service of the stack has all its tasks running again. Refused, changing nothing, when
   *  draining would leave the stack or its database nowhere to run. */
  async setNodeAvailability(
    stack: string,
    hostname: string,
    availability: NodeAvailability,
    onProgress: ProgressSink = noProgress,
  ): Promise<{ movedTasks: number; ms: number }> {
    checkStackName(stack);
    return changeAvailability(this.docker, await this.ready(), stack, hostname, availability, {
      dbNodeLabel: this.opts.dbNodeLabel,
      services: () => this.stackServices(stack),
      timeoutMs: this.opts.healthTimeoutMs ?? 90_000,
      waitTasks: (s) => this.waitTasks(s, onProgress),
      onProgress,
    });
  }

  // ---------------------------------------------------------------- inside the tasks: the local engine's work

  /** The local engine's view of the containers, with the target and the Swarm's nodes. */
  status(stack: string): Promise<StackStatus> {
    return swarmStatus(this.docker, stack, this.local.status(stack));
  }

  /** The local engine's containers and the stack's tasks on other nodes (swarm-view.ts). */
  async services(stack: string): Promise<ServiceStatus[]> {
    const [local, swarm] = await Promise.all([this.local.services(stack), readSwarmView(this.docker, stack)]);
    return swarm.withRemote(local);
  }
}
