// The StackRuntime on Docker Swarm (--target swarm): the same topology, each role a Swarm service
// on an attachable overlay network, the API instances one service's replicas (swarm-spec.ts), the
// balancer a container on the manager published on 127.0.0.1 and attached to the overlay. Swarm
// itself replaces a task that dies. What happens inside a task's container (faults, logs, stats,
// SQL, secrets) is the local engine's work on the manager's tasks, so it is the DockerRuntime's.
// This version runs the API, the balancer, Redis and one PostgreSQL; apply scales the API by a
// service update. Anything else is refused before anything is made.
import type Docker from 'dockerode';
import { LabError } from '../../contract/errors.js';
import type { ApplyResult, NodeAvailability, ServiceStatus, StackStatus } from '../../contract/stack.js';
import { DockerRuntime, type DockerRuntimeOptions } from '../runtime/docker-runtime.js';
import { createDocker, isConflict } from '../runtime/docker-client.js';
import { StackNotRunningError } from '../runtime/errors.js';
import { checkStackName, containerName, LABEL, networkName } from '../runtime/names.js';
import { ServiceLifecycle } from '../runtime/service-lifecycle.js';
import { StackObserver } from '../runtime/stack-observer.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import { StackStateFile } from '../runtime/stack-state.js';
import { diff } from '../topology/diff.js';
import { plan, type Role } from '../topology/plan.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { baseImageTag } from '../runtime/images.js';
import { checkSwarm, drainProblem, type SwarmFacts } from './swarm-check.js';
import { registryPlan, type RegistrySetting } from './registry.js';
import { pushImage, pushImages, readyRegistry } from './registry-service.js';
import { removeSwarmStack } from './swarm-teardown.js';
import { fetchOnOverlay } from './overlay-fetch.js';
import { SERVICE } from '../../contract/services.js';
import type { SwarmGenerators } from '../load/k6-generators.js';
import { refuseUnlessSwarmRuns, swarmServiceName, swarmServices } from './swarm-spec.js';
import { ensureSecrets, secretsWanted } from './swarm-secrets.js';
import { createService, waitTasks } from './swarm-service-steps.js';
import { swarmNodes, withTasksElsewhere, type SwarmNodeInfo, type SwarmTaskInfo } from './swarm-status.js';

export interface SwarmRuntimeOptions extends DockerRuntimeOptions {
  /** Databases are kept to nodes with this label set to true (`docker node update --label-add`). */
  dbNodeLabel?: string;
  /** Where the nodes pull the images from (SCALELAB_SWARM_REGISTRY; registry.ts). */
  registry?: RegistrySetting;
}

const noProgress: ProgressSink = () => undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The order services start in: what the API needs, then the API (the balancer last, as a container). */
const START_ORDER: Role[][] = [['db', 'cache'], ['api']];

function notOnSwarm(what: string): never {
  throw new LabError(
    `${what} runs on the local engine target only, so far.`,
    'BAD_INPUT',
    'Bring the stack up on the local engine (the default target) for this.',
  );
}

export class SwarmRuntime implements StackRuntime {
  readonly docker: Docker;
  private readonly local: DockerRuntime;
  private readonly state: StackStateFile;
  private readonly observer: StackObserver;
  private readonly lifecycle: ServiceLifecycle;

  constructor(private readonly opts: SwarmRuntimeOptions) {
    this.docker = opts.docker ?? createDocker();
    this.local = new DockerRuntime({ ...opts, docker: this.docker });
    this.state = new StackStateFile(opts.dataDir);
    this.observer = new StackObserver(this.docker, this.state, opts.seed);
    this.lifecycle = new ServiceLifecycle(this.docker, opts);
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
    const specs = plan(t, ctx);
    refuseUnlessSwarmRuns(t, specs);
    if ((await this.stackServices(stack)).length) {
      await this.apply(stack, t, onProgress);
      return this.status(stack);
    }
    // Decided before anything is made: several nodes and no registry is refused here.
    const registry = registryPlan(this.opts.registry ?? 'auto', facts.nodes.length, facts.nodeAddr);
    const images = await this.local.prepareImages(t, onProgress);
    await readyRegistry(this.docker, registry, baseImageTag(this.opts.stackDir), onProgress);
    const pulled = await pushImages(this.docker, registry, images, onProgress);
    await this.ensureOverlay(stack, t);
    const onSwarm = specs.filter((s) => s.role !== 'lb');
    const secrets = await ensureSecrets(this.docker, stack, secretsWanted(onSwarm.map((s) => s.env)));
    const services = swarmServices(specs, {
      stack,
      images: pulled,
      appVersion: this.opts.appVersion,
      dbNodeLabel: this.opts.dbNodeLabel,
      secrets,
    });
    const roleOf = (s: Docker.CreateServiceOptions) => s.Labels![LABEL.role] as Role;
    for (const roles of START_ORDER) {
      const group = services.filter((s) => roles.includes(roleOf(s)));
      await Promise.all(group.map((s) => createService(this.docker, s, onProgress)));
      await Promise.all(group.map((s) => this.waitTasks(s, onProgress)));
    }
    const lb = specs.filter((s) => s.role === 'lb');
    const swarmNames = new Set(onSwarm.map((s) => s.name));
    await this.lifecycle.startServices(stack, lb, swarmNames, images, ctx.dbPassword, onProgress);
    this.state.write(stack, t);
    return this.status(stack);
  }

  /** Scales the API (a service update: Swarm starts or stops tasks); any other change is refused. */
  async apply(
    stack: string,
    nextOf: Topology | ((current: Topology) => Topology),
    onProgress: ProgressSink = noProgress,
  ): Promise<ApplyResult> {
    checkStackName(stack);
    await this.ping();
    const from = await this.topology(stack);
    if (!from) throw new StackNotRunningError(stack);
    const to = parseTopology(typeof nextOf === 'function' ? nextOf(from) : nextOf);
    const changes = diff(from, to);
    const other = changes.filter((c) => c.field !== 'api.instances');
    if (other.length)
      throw new LabError(
        `On Swarm this version applies api.instances only; ${other.map((c) => c.field).join(', ')} would need the stack brought up again.`,
        'BAD_INPUT',
        'Bring the stack down and up with the new topology, or use the local engine target.',
      );
    if (changes.length) {
      const service = this.docker.getService(swarmServiceName(stack, 'api'));
      const info = (await service.inspect()) as { Version: { Index: number }; Spec: Docker.ServiceSpec };
      onProgress({ service: 'api', phase: 'update', message: `${to.api.instances} replicas`, at: Date.now() });
      await service.update({
        ...info.Spec,
        version: info.Version.Index,
        Mode: { Replicated: { Replicas: to.api.instances } },
      });
      await this.waitTasks({ ...info.Spec, Mode: { Replicated: { Replicas: to.api.instances } } }, onProgress);
    }
    this.state.write(stack, to);
    return { changes, topology: to, status: await this.status(stack) };
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

  private async ensureOverlay(stack: string, t: Topology): Promise<void> {
    try {
      await this.docker.createNetwork({
        Name: networkName(stack),
        Driver: 'overlay',
        // The balancer, a plain container, joins it: the overlay must take containers.
        Attachable: true,
        CheckDuplicate: true,
        Labels: { [LABEL.stack]: stack, [LABEL.version]: this.opts.appVersion, [LABEL.topology]: JSON.stringify(t) },
      });
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }

  private waitTasks(s: Docker.ServiceSpec, onProgress: ProgressSink): Promise<void> {
    return waitTasks(this.docker, s, onProgress, this.opts.healthTimeoutMs ?? 90_000);
  }

  /** A k6 run's generators as one service over the nodes; its image through the stack's registry. */
  async swarmGenerators(stack: string): Promise<SwarmGenerators> {
    const facts = await this.ready();
    const registry = registryPlan(this.opts.registry ?? 'auto', facts.nodes.length, facts.nodeAddr);
    const starterImage = baseImageTag(this.opts.stackDir);
    return {
      stack,
      starterImage,
      shareImage: async (image) => {
        await readyRegistry(this.docker, registry, starterImage, noProgress);
        return pushImage(this.docker, registry, image, 'k6', noProgress);
      },
    };
  }

  async swarmNodeCounts(): Promise<{ active: number; drained: number }> {
    const nodes = (await this.docker.listNodes()) as SwarmNodeInfo[];
    const ready = nodes.filter((n) => n.Status?.State === 'ready');
    return {
      active: ready.filter((n) => n.Spec?.Availability === 'active').length,
      drained: nodes.filter((n) => n.Spec?.Availability === 'drain').length,
    };
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
    const facts = await this.ready();
    if (availability === 'drain') {
      const problem = drainProblem(facts, hostname, this.opts.dbNodeLabel);
      if (problem) throw problem;
    }
    const node = facts.listing.find((n) => n.Description?.Hostname === hostname);
    if (!node) throw drainProblem(facts, hostname)!;
    const started = Date.now();
    const on = await this.docker.listTasks({
      filters: { node: [node.ID], label: [`${LABEL.stack}=${stack}`], 'desired-state': ['running'] },
    });
    const handle = this.docker.getNode(node.ID);
    const info = (await handle.inspect()) as { Version: { Index: number }; Spec: object };
    onProgress({ service: hostname, phase: 'update', message: `availability ${availability}`, at: Date.now() });
    await handle.update({ ...info.Spec, Availability: availability, version: info.Version.Index });
    // Drained: first until Swarm has told every task there to stop, then until their
    // replacements elsewhere run (and a stopping task has stopped).
    const deadline = Date.now() + (this.opts.healthTimeoutMs ?? 90_000);
    while (availability === 'drain' && Date.now() < deadline) {
      const left = await this.docker.listTasks({
        filters: { node: [node.ID], label: [`${LABEL.stack}=${stack}`], 'desired-state': ['running'] },
      });
      if (!left.length) break;
      await sleep(300);
    }
    for (const s of await this.stackServices(stack)) await this.waitTasks(s.Spec!, onProgress);
    return { movedTasks: availability === 'drain' ? on.length : 0, ms: Date.now() - started };
  }

  // ---------------------------------------------------------------- inside the tasks: the local engine's work

  /** The local engine's view of the containers, with the target and the Swarm's nodes. */
  async status(stack: string): Promise<StackStatus> {
    const [status, swarm] = await Promise.all([this.local.status(stack), this.swarmView(stack)]);
    return {
      ...status,
      services: swarm.withRemote(status.services),
      target: 'swarm',
      nodes: swarmNodes(swarm.nodes, swarm.tasks),
    };
  }

  /** The local engine's containers and the stack's tasks on other nodes (no ports: only the
   *  balancer on the overlay reaches them, so HAProxy's figures are what the collector has of them). */
  async services(stack: string): Promise<ServiceStatus[]> {
    const [local, swarm] = await Promise.all([this.local.services(stack), this.swarmView(stack)]);
    return swarm.withRemote(local);
  }

  /** One reading of the Swarm's nodes and the stack's tasks. */
  private async swarmView(stack: string) {
    // Not a Swarm (any more): the error says how to make one, not Docker's 503.
    const { nodeId = '', listing: nodes } = await checkSwarm(this.docker);
    const tasks = (await this.docker.listTasks({
      filters: { label: [`${LABEL.stack}=${stack}`], 'desired-state': ['running'] },
    })) as SwarmTaskInfo[];
    return {
      nodes,
      tasks,
      withRemote: (local: ServiceStatus[]) => withTasksElsewhere(local, nodes, tasks, nodeId, networkName(stack)),
    };
  }
  /** Through the balancer: a container on this node, on the overlay, with curl. */
  fetchOnOverlay: StackRuntime['fetchOnOverlay'] = (stack, urls) =>
    fetchOnOverlay(this.docker, this.docker.getContainer(containerName(stack, SERVICE.lb)), urls);
  fault: StackRuntime['fault'] = (stack, service, kind) => this.local.fault(stack, service, kind);
  logs: StackRuntime['logs'] = (stack, service, tail) => this.local.logs(stack, service, tail);
  events: StackRuntime['events'] = (stack, on) => this.local.events(stack, on);
  stats: StackRuntime['stats'] = (stack, on) => this.local.stats(stack, on);
  followLogs: StackRuntime['followLogs'] = (stack, service, on) => this.local.followLogs(stack, service, on);
  replication: StackRuntime['replication'] = (stack) => this.local.replication(stack);
  primarySql: StackRuntime['primarySql'] = (stack, sql, ms) => this.local.primarySql(stack, sql, ms);
  stackSecrets: StackRuntime['stackSecrets'] = (stack) => this.local.stackSecrets(stack);
  tlsCertificate: StackRuntime['tlsCertificate'] = (stack) => this.local.tlsCertificate(stack);
  purgeEdge: StackRuntime['purgeEdge'] = (stack, path) => this.local.purgeEdge(stack, path);
  checkAlertRules: StackRuntime['checkAlertRules'] = (stack, rules) => this.local.checkAlertRules(stack, rules);
  versions: StackRuntime['versions'] = () => this.local.versions();
  buildVersion: StackRuntime['buildVersion'] = (name, regression, p) => this.local.buildVersion(name, regression, p);
  versionImage: StackRuntime['versionImage'] = (version, p) => this.local.versionImage(version, p);
  reap: StackRuntime['reap'] = (only) => this.local.reap(only);

  // ---------------------------------------------------------------- not on Swarm yet: refused, saying so

  backups: StackRuntime['backups'] = async () => notOnSwarm('Backups (database.backups)');
  backup: StackRuntime['backup'] = async () => notOnSwarm('A backup');
  restore: StackRuntime['restore'] = async () => notOnSwarm('A point-in-time restore');
  startApiInstances: StackRuntime['startApiInstances'] = async () => notOnSwarm('A blue-green or canary deploy');
  removeApiInstances: StackRuntime['removeApiInstances'] = async () => notOnSwarm('A blue-green or canary deploy');
  balancerSlots: StackRuntime['balancerSlots'] = async () => notOnSwarm('A blue-green or canary deploy');
  setBalancerWeights: StackRuntime['setBalancerWeights'] = async () => notOnSwarm('A blue-green or canary deploy');
}
