// Executing one step of a convergence plan (convergence-plan.ts) on a Docker engine: each kind of
// action to the module that does it. The plan decides; this only does.
import type Docker from 'dockerode';
import { SERVICE } from '../../contract/services.js';
import type { PlanContext, Role } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import type { ApiInstanceOps } from './api-instances.js';
import { pushApiConfig } from './api-admin.js';
import type { ConvergeAction } from './convergence-plan.js';
import { applyPatroniConfig, leaderName } from './ha-actions.js';
import { applyLiveSetting } from './live-settings.js';
import { writePrometheusFiles } from './monitoring-ops.js';
import { checkPortsFree, type ServiceLifecycle } from './service-lifecycle.js';
import type { ContainerInfo, StackObserver } from './stack-observer.js';
import type { ProgressSink } from './stack-runtime.js';

export interface ExecutorParts {
  docker: Docker;
  observer: StackObserver;
  lifecycle: ServiceLifecycle;
  apis: ApiInstanceOps;
}

export interface ExecutionContext {
  stack: string;
  /** The containers observed before the plan, by id. */
  byId: Map<string, ContainerInfo>;
  ctx: PlanContext;
  to: Topology;
  onProgress: ProgressSink;
  /** The image API instances start on (their version's), null for the API's own. */
  apiVersionImage: string | null;
  imageTags: (roles: Role[]) => Promise<Record<Role, string>>;
}

export async function executeAction(
  { docker, observer, lifecycle, apis }: ExecutorParts,
  { stack, byId, ctx, to, onProgress, apiVersionImage, imageTags }: ExecutionContext,
  a: Exclude<ConvergeAction, { kind: 'shard-rebalance' }>,
): Promise<void> {
  const say = (service: string, message: string) => onProgress({ service, phase: 'update', message, at: Date.now() });
  switch (a.kind) {
    case 'remove': {
      const list = a.ids.map((id, i) => ({ id, service: a.services[i], running: byId.get(id)?.State === 'running' }));
      return lifecycle.remove(stack, list, onProgress, { graceful: a.graceful, volumes: a.volumes });
    }
    case 'check-ports':
      return checkPortsFree(a.ports);
    case 'unpause':
      await Promise.all(
        a.ids.map(async (id, i) => {
          say(a.services[i], 'unpausing (it was paused)');
          await docker.getContainer(id).unpause();
        }),
      );
      return;
    case 'start': {
      // Made here, after the ports were found free: a refused bring-up leaves nothing behind.
      await lifecycle.ensureNetwork(stack, to);
      const images = await imageTags(a.specs.map((s) => s.role));
      return lifecycle.startServices(
        stack,
        a.specs,
        new Set(a.alreadyRunning),
        // API instances run their version's image (v1: the API's own).
        apiVersionImage ? { ...images, api: apiVersionImage } : images,
        ctx.dbPassword,
        onProgress,
      );
    }
    case 'push-api-config': {
      const services = await observer.services(stack);
      await Promise.all(
        services
          .filter((s) => a.services.includes(s.name))
          .map(async (s) => {
            say(s.name, 'switching cache, read routing and pooling');
            await pushApiConfig(`http://${s.ports.api ?? s.ports.entry}`, ctx.adminToken, a.config);
          }),
      );
      return;
    }
    case 'balancer-weights':
      say(SERVICE.lb, 'every server slot at full weight');
      return apis.fullWeights(stack);
    case 'monitoring-config':
      say(SERVICE.prometheus, 'new targets and alert rules, reloaded');
      return writePrometheusFiles(docker, a.id, a.files);
    case 'patroni-config':
      return applyPatroniConfig(await observer.services(stack), a, say);
    case 'db-indexes':
      // Under HA the indexes are built wherever Patroni's leader is now.
      return applyLiveSetting(
        docker,
        stack,
        { ...a, service: to.database.ha ? await leaderName(await observer.services(stack)) : a.service },
        ctx,
        say,
      );
    default:
      return applyLiveSetting(docker, stack, a, ctx, say);
  }
}
