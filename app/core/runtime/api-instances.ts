// API versions, and what a blue-green or canary deploy asks of the runtime beside apply(): API instances started by
// name on a version of its choice (a second set beside the topology's), removed by name after they
// drained, and the balancer's per-server weights read and set.
import type Docker from 'dockerode';
import { BASE_VERSION } from '../../contract/topology.js';
import { isApiName, SERVICE } from '../../contract/services.js';
import { fullWeights, type BalancerSlot } from '../deploy/traffic-split.js';
import { plan, type Role } from '../topology/plan.js';
import { balancerSlots, setBalancerWeights } from './balancer-control.js';
import { LabError, StackNotRunningError } from './errors.js';
import type { ServiceLifecycle } from './service-lifecycle.js';
import { serviceOf, type StackObserver } from './stack-observer.js';
import type { ProgressSink } from './stack-runtime.js';
import { buildVersion, listVersions, versionImage, type Regression } from './versions.js';
import type { ApiVersionInfo } from '../../contract/stack.js';

export class ApiInstanceOps {
  constructor(
    private readonly docker: Docker,
    private readonly observer: StackObserver,
    private readonly lifecycle: ServiceLifecycle,
    private readonly apiImage: (onProgress: ProgressSink) => Promise<string>,
  ) {}

  /** v1 (the API as built) and the versions built from it on this engine. */
  async versions(): Promise<ApiVersionInfo[]> {
    const api = await this.apiImage(() => undefined);
    const built = await listVersions(this.docker, api);
    return [{ name: BASE_VERSION, image: api, builtFrom: api, current: true, latencyMs: 0, errorRate: 0 }, ...built];
  }

  async buildVersion(name: string, regression: Regression, onProgress: ProgressSink): Promise<ApiVersionInfo> {
    const api = await this.apiImage(onProgress);
    return buildVersion(this.docker, api, name, regression, (p) =>
      onProgress({ service: p.image, phase: 'image', message: p.message, progress: p.progress, at: Date.now() }),
    );
  }

  /** The image `version` runs, refused (a clear error, nothing changed) when it was never built. */
  async versionImage(version: string, onProgress: ProgressSink): Promise<string> {
    const api = await this.apiImage(onProgress);
    return version === BASE_VERSION ? api : versionImage(this.docker, api, version);
  }

  /** Starts API instances `names` (api-4, api-5...) on `version`, each as the topology would make
   *  it otherwise, and waits until they are healthy. */
  async start(stack: string, names: string[], version: string, onProgress: ProgressSink): Promise<void> {
    if (!names.every(isApiName)) throw new LabError(`not API instance names: ${names.join(', ')}`, 'BAD_INPUT');
    const cs = await this.observer.containers(stack);
    const t = await this.observer.currentTopology(stack, cs);
    if (!t) throw new StackNotRunningError(stack);
    const ctx = await this.observer.secrets(stack, cs);
    const highest = Math.max(...names.map((n) => Number(n.slice('api-'.length))));
    const specs = plan({ ...t, api: { ...t.api, instances: highest, version } }, ctx).filter((s) =>
      names.includes(s.name),
    );
    const image = await this.versionImage(version, onProgress);
    const running = new Set(cs.filter((c) => c.State === 'running').map(serviceOf));
    await this.lifecycle.startServices(
      stack,
      specs,
      running,
      { api: image } as Record<Role, string>,
      ctx.dbPassword,
      onProgress,
    );
  }

  /** Stops (the instance drains what it has) and removes API instances by name. */
  async remove(stack: string, names: string[], onProgress: ProgressSink): Promise<void> {
    const cs = (await this.observer.containers(stack)).filter((c) => names.includes(serviceOf(c)));
    await this.lifecycle.remove(
      stack,
      cs.map((c) => ({ id: c.Id, service: serviceOf(c), running: c.State === 'running' })),
      onProgress,
      { graceful: true },
    );
  }

  private async lbId(stack: string): Promise<string> {
    const lb = (await this.observer.containers(stack)).find((c) => serviceOf(c) === SERVICE.lb);
    if (!lb || lb.State !== 'running')
      throw new LabError(
        `stack "${stack}" has no running load balancer`,
        'BAD_INPUT',
        'Blue-green and canary deploys move traffic at the balancer: `scalelab apply --set loadBalancer.enabled=true`.',
      );
    return lb.Id;
  }

  async slots(stack: string): Promise<BalancerSlot[]> {
    return balancerSlots(this.docker, await this.lbId(stack));
  }

  async fullWeights(stack: string): Promise<void> {
    const id = await this.lbId(stack);
    await setBalancerWeights(this.docker, id, fullWeights(await balancerSlots(this.docker, id)));
  }

  async setWeights(stack: string, weights: Record<string, number>): Promise<void> {
    return setBalancerWeights(this.docker, await this.lbId(stack), weights);
  }
}
