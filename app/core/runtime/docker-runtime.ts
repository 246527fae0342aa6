// The StackRuntime on a Docker engine, through dockerode: a thin executor. It observes the stack
// (stack-observer.ts), asks the pure planner what to do (convergence-plan.ts) and does it step by
// step (convergence-executor.ts, service-lifecycle.ts, role-commands.ts, api-admin.ts,
// database-ops.ts, api-instances.ts). Everything it makes carries the stack's labels (names.ts) and
// is found again by them; published ports bind to 127.0.0.1.
import { LabError } from '../../contract/errors.js';
import type Docker from 'dockerode';
import type {
  ApplyResult,
  ContainerStats,
  FaultKind,
  RebalanceFigures,
  ServiceStatus,
  StackStatus,
} from '../../contract/stack.js';
import { plan, type PlanContext, type Role } from '../topology/plan.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { followContainerEvents, type ContainerEvent } from './container-events.js';
import { planConvergence } from './convergence-plan.js';
import { containerLogs, createDocker, isNotFound, pingDocker } from './docker-client.js';
import { NoSuchServiceError, StackNotRunningError } from './errors.js';
import { ensureImages } from './images.js';
import { checkStackName, stackFilter } from './names.js';
import { isApiName, isDbNodeName, isShardName, SERVICE } from '../../contract/services.js';
import { ServiceLifecycle } from './service-lifecycle.js';
import { observed, serviceOf, StackObserver, type ContainerInfo } from './stack-observer.js';
import type { ProgressSink, StackRuntime, StackSecrets } from './stack-runtime.js';
import { StackStateFile } from './stack-state.js';
import { followStats } from './stats-stream.js';
import { injectFault } from './faults.js';
import { DatabaseOps } from './database-ops.js';
import { rebalance } from './shard-actions.js';
import { versionImage, type Regression } from './versions.js';
import { readLbCertificate } from './lb-certificate.js';
import { ApiInstanceOps } from './api-instances.js';
import { purgeEdgeCache } from './edge-ops.js';
import { checkRules } from './monitoring-ops.js';
import type { RulesCheck } from '../../contract/monitoring.js';
import { followLogs } from './log-follow.js';
import { executeAction } from './convergence-executor.js';
import { BASE_VERSION } from '../../contract/topology.js';

export interface DockerRuntimeOptions {
  stackDir: string;
  dataDir: string;
  appVersion: string;
  docker?: Docker;
  /** Builds stack/api/dist/server.js before the api image is built (skipped in packaged apps). */
  prepareApiBundle?: () => Promise<void>;
  /** How long a service may take to become healthy. */
  healthTimeoutMs?: number;
  /** Data set the API seeds (tests use a smaller one). */
  seed?: PlanContext['seed'];
  /** reap() leaves a stack younger than this alone (default REAP_MIN_AGE_MS): it may be coming up. */
  reapMinAgeMs?: number;
}

const noProgress: ProgressSink = () => undefined;
/** A stack whose newest container or network is younger than this may be coming up in another process. */
export const REAP_MIN_AGE_MS = 120_000;
const alive = (c: ContainerInfo) => c.State === 'running' || c.State === 'paused';

const isDatabaseNode = (service: string) => isDbNodeName(service) || isShardName(service);

export class DockerRuntime implements StackRuntime {
  readonly docker: Docker;
  private readonly state: StackStateFile;
  private readonly observer: StackObserver;
  private readonly lifecycle: ServiceLifecycle;
  private readonly db: DatabaseOps;
  private readonly apis: ApiInstanceOps;

  constructor(private readonly opts: DockerRuntimeOptions) {
    this.docker = opts.docker ?? createDocker();
    this.state = new StackStateFile(opts.dataDir);
    this.observer = new StackObserver(this.docker, this.state, opts.seed);
    this.lifecycle = new ServiceLifecycle(this.docker, opts);
    this.db = new DatabaseOps(this.docker, this.observer, this.lifecycle);
    this.apis = new ApiInstanceOps(
      this.docker,
      this.observer,
      this.lifecycle,
      async (onProgress) => (await this.imageTags(['api'], onProgress)).api,
    );
  }

  ping(): Promise<void> {
    return pingDocker(this.docker);
  }

  listStacks(): Promise<string[]> {
    return this.observer.listStacks();
  }

  status(stack: string): Promise<StackStatus> {
    return this.observer.status(stack);
  }

  services(stack: string): Promise<ServiceStatus[]> {
    return this.observer.services(stack);
  }

  async prepareImages(topology: Topology, onProgress: ProgressSink = noProgress): Promise<Record<Role, string>> {
    return this.imageTags(
      plan(topology, { adminToken: '', dbPassword: '' }).map((s) => s.role),
      onProgress,
    );
  }

  private imageTags(roles: Role[], onProgress: ProgressSink): Promise<Record<Role, string>> {
    return ensureImages(
      this.docker,
      this.opts.stackDir,
      roles,
      (p) => onProgress({ service: p.image, phase: 'image', message: p.message, progress: p.progress, at: Date.now() }),
      this.opts.prepareApiBundle ?? (async () => undefined),
    );
  }

  // ---------------------------------------------------------------- up / apply / down

  async up(stack: string, topology: Topology, onProgress: ProgressSink = noProgress): Promise<StackStatus> {
    checkStackName(stack);
    const next = parseTopology(topology);
    await this.ping();
    const cs = await this.observer.containers(stack);
    const from = cs.some(alive) ? await this.observer.currentTopology(stack, cs) : null;
    await this.converge(stack, cs, from, next, true, onProgress);
    return this.status(stack);
  }

  async apply(
    stack: string,
    nextOf: Topology | ((current: Topology) => Topology),
    onProgress: ProgressSink = noProgress,
  ): Promise<ApplyResult> {
    checkStackName(stack);
    await this.ping();
    const cs = await this.observer.containers(stack);
    const from = cs.some(alive) ? await this.observer.currentTopology(stack, cs) : null;
    if (!from) throw new StackNotRunningError(stack);
    const next = parseTopology(typeof nextOf === 'function' ? nextOf(from) : nextOf);
    const { changes, rebalance } = await this.converge(stack, cs, from, next, false, onProgress);
    return { changes, ...(rebalance ? { rebalance } : {}), topology: next, status: await this.status(stack) };
  }

  /** Brings the stack from `from` (null: nothing runs) to `to`: plans, then executes the plan in order. */
  private async converge(
    stack: string,
    cs: ContainerInfo[],
    from: Topology | null,
    to: Topology,
    heal: boolean,
    onProgress: ProgressSink,
  ): Promise<Pick<ApplyResult, 'changes' | 'rebalance'>> {
    const ctx = await this.observer.secrets(stack, cs);
    const specs = plan(to, ctx);
    const { changes, actions } = planConvergence({ observed: cs.map(observed), specs, from, to, heal });
    // The version's image, when an API instance will start: one never built (or built from an
    // older API) is refused here, before anything changes; other applies need not look it up.
    const startsApi = actions.some((a) => a.kind === 'start' && a.specs.some((x) => x.role === 'api'));
    const apiVersionImage =
      to.api.version === BASE_VERSION || !startsApi
        ? null
        : await versionImage(this.docker, (await this.imageTags(['api'], onProgress)).api, to.api.version);
    const byId = new Map(cs.map((c) => [c.Id, c]));
    let rebalanced: RebalanceFigures | undefined;
    for (const action of actions) {
      if (action.kind === 'shard-rebalance')
        rebalanced = await rebalance(action, await this.observer.services(stack), ctx, to, onProgress);
      else
        await executeAction(
          { docker: this.docker, observer: this.observer, lifecycle: this.lifecycle, apis: this.apis },
          {
            stack,
            byId,
            ctx,
            to,
            onProgress,
            apiVersionImage,
            imageTags: (roles) => this.imageTags(roles, onProgress),
          },
          action,
        );
    }
    this.state.write(stack, to);
    return { changes, rebalance: rebalanced };
  }

  async down(stack: string, onProgress: ProgressSink = noProgress): Promise<void> {
    checkStackName(stack);
    await this.ping();
    const cs = await this.observer.containers(stack);
    await this.lifecycle.remove(
      stack,
      cs.map((c) => ({ id: c.Id, service: serviceOf(c), running: c.State === 'running' })),
      onProgress,
    );
    const [nets, vols] = await Promise.all([
      this.docker.listNetworks({ filters: stackFilter(stack) }),
      this.docker.listVolumes({ filters: stackFilter(stack) }),
    ]);
    const gone = (e: unknown) => {
      if (!isNotFound(e)) throw e;
    };
    await Promise.all(nets.map((n) => this.docker.getNetwork(n.Id).remove().catch(gone)));
    await Promise.all((vols.Volumes ?? []).map((v) => this.docker.getVolume(v.Name).remove().catch(gone)));
    this.state.remove(stack);
    onProgress({ service: stack, phase: 'remove', message: 'stack removed', at: Date.now() });
  }

  async topology(stack: string): Promise<Topology | null> {
    const cs = await this.observer.containers(checkStackName(stack));
    return cs.some(alive) ? this.observer.currentTopology(stack, cs) : null;
  }

  async reap(only?: string): Promise<string[]> {
    await this.ping();
    const reaped: string[] = [];
    const stacks = only ? [checkStackName(only)] : await this.listStacks();
    for (const stack of stacks) {
      const cs = await this.observer.containers(stack);
      if (cs.some((c) => alive(c) || c.State === 'restarting')) continue;
      if ((await this.observer.newestPartAgeMs(stack, cs)) < (this.opts.reapMinAgeMs ?? REAP_MIN_AGE_MS)) continue;
      await this.down(stack);
      reaped.push(stack);
    }
    return reaped;
  }

  // ---------------------------------------------------------------- faults, logs, stats, the database

  private async serviceContainer(stack: string, service: string): Promise<ContainerInfo> {
    const cs = await this.observer.containers(checkStackName(stack));
    const info = cs.find((c) => serviceOf(c) === service);
    if (!info) throw new NoSuchServiceError(service, cs.map(serviceOf));
    return info;
  }

  async fault(stack: string, service: string, kind: FaultKind): Promise<void> {
    const info = await this.serviceContainer(stack, service);
    // A slow container's limit is a share of the one its topology gives it (and given back whole).
    const t = kind === 'slow' || kind === 'unslow' ? await this.observer.currentTopology(stack) : null;
    const cpus = !t ? null : isApiName(service) ? t.api.cpus : isDatabaseNode(service) ? t.database.cpus : null;
    await injectFault(this.docker, info, service, kind, cpus);
  }

  async purgeEdge(stack: string, path?: string): Promise<number> {
    const cdn = await this.serviceContainer(stack, SERVICE.cdn);
    const { adminToken } = await this.stackSecrets(stack);
    return purgeEdgeCache(this.docker, cdn.Id, adminToken, path);
  }

  async checkAlertRules(stack: string, rules: string): Promise<RulesCheck> {
    const prometheus = await this.serviceContainer(stack, SERVICE.prometheus);
    return checkRules(this.docker, prometheus.Id, rules);
  }

  async tlsCertificate(stack: string): Promise<string> {
    const lb = await this.serviceContainer(stack, SERVICE.lb);
    return readLbCertificate(this.docker, lb.Id, stack);
  }

  async logs(stack: string, service: string, tail = 200): Promise<string> {
    const info = await this.serviceContainer(stack, service);
    return containerLogs(this.docker.getContainer(info.Id), tail);
  }

  events(stack: string, onEvent: (e: ContainerEvent) => void): () => void {
    return followContainerEvents(this.docker, checkStackName(stack), onEvent);
  }

  stats(stack: string, onSample: (s: ContainerStats) => void): () => void {
    return followStats(this.docker, () => this.observer.containers(stack), onSample);
  }

  followLogs(stack: string, service: string, onLine: (line: string) => void): () => void {
    return followLogs(this.docker, () => this.observer.containers(stack), service, onLine);
  }

  // The database's own operations (replication, pgBackRest) live in database-ops.ts.
  replication = (stack: string) => this.db.replication(checkStackName(stack));
  backups = (stack: string) => this.db.backups(checkStackName(stack));
  backup = (stack: string, onProgress: ProgressSink = noProgress) => this.db.backup(checkStackName(stack), onProgress);
  primarySql = (stack: string, sql: string, timeoutMs?: number) =>
    this.db.primarySql(checkStackName(stack), sql, timeoutMs);
  restore = (stack: string, target: string, onProgress: ProgressSink = noProgress) =>
    this.db.restore(checkStackName(stack), target, onProgress, (t) => this.up(stack, t, onProgress));

  // API versions and a blue-green or canary deploy's own steps live in api-instances.ts.
  versions = async () => {
    await this.ping();
    return this.apis.versions();
  };
  buildVersion = async (name: string, regression: Regression, onProgress: ProgressSink = noProgress) => {
    await this.ping();
    return this.apis.buildVersion(name, regression, onProgress);
  };
  versionImage = (version: string, onProgress: ProgressSink = noProgress) =>
    this.apis.versionImage(version, onProgress);
  startApiInstances = (stack: string, names: string[], version: string, onProgress: ProgressSink = noProgress) =>
    this.apis.start(checkStackName(stack), names, version, onProgress);
  removeApiInstances = (stack: string, names: string[], onProgress: ProgressSink = noProgress) =>
    this.apis.remove(checkStackName(stack), names, onProgress);
  balancerSlots = (stack: string) => this.apis.slots(checkStackName(stack));
  setBalancerWeights = (stack: string, weights: Record<string, number>) =>
    this.apis.setWeights(checkStackName(stack), weights);

  swarmNodeCounts = async () => null;
  swarmGenerators = async () => null;
  fetchOnOverlay = async (_stack: string, urls: string[]) => urls.map(() => null);
  overlayDbRows = () => null;
  overlayHttp = () => null;

  /** One engine has no nodes to drain: refused, saying where it works. */
  setNodeAvailability = async (): Promise<never> => {
    throw new LabError(
      'The local engine is one machine: it has no nodes to drain.',
      'BAD_INPUT',
      'Bring the stack up on a Swarm (`--target swarm`, or SCALELAB_TARGET=swarm) to drain its nodes.',
    );
  };

  /** The secrets of a running stack: the engine's key to the API's live switches, the database password. */
  async stackSecrets(stack: string): Promise<StackSecrets> {
    const cs = await this.observer.containers(checkStackName(stack));
    if (!cs.length) throw new StackNotRunningError(stack);
    const { adminToken, dbPassword, redisPassword = '' } = await this.observer.secrets(stack, cs);
    return { adminToken, dbPassword, redisPassword };
  }
}
