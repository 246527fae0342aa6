// The Swarm target's entry points: the balancer, the edge cache, Prometheus and Alertmanager run
// as containers on the manager, attached to the overlay and published on 127.0.0.1 (swarm-spec.ts
// says why), so they are made, made again and removed as the local engine makes containers.
import type Docker from 'dockerode';
import { writePrometheusFiles } from '../runtime/monitoring-ops.js';
import { LABEL } from '../runtime/names.js';
import type { ServiceLifecycle } from '../runtime/service-lifecycle.js';
import type { StackObserver } from '../runtime/stack-observer.js';
import type { ProgressSink } from '../runtime/stack-runtime.js';
import { prometheusFilesBetween } from '../topology/plan-monitoring.js';
import type { Role, ServiceSpec } from '../topology/plan.js';
import { entriesChanged, isEntry } from './swarm-spec.js';

export class SwarmEntries {
  constructor(
    private readonly docker: Docker,
    private readonly observer: StackObserver,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  /** The entry points of `specs` (those `only` keeps), started in their order. */
  start(
    stack: string,
    specs: ServiceSpec[],
    images: Record<Role, string>,
    dbPassword: string,
    onProgress: ProgressSink,
    only: (s: ServiceSpec) => boolean = () => true,
  ) {
    const running = new Set(specs.filter((s) => !isEntry(s) || !only(s)).map((s) => s.name));
    const entries = specs.filter((s) => isEntry(s) && only(s));
    return this.lifecycle.startServices(stack, entries, running, images, dbPassword, onProgress);
  }

  /** Entry points made again where their own spec changed (swarm-spec.ts entriesChanged), made
   *  where switched on, removed where switched off; Prometheus's changed files written into it
   *  and reloaded where it stays. */
  async change(
    stack: string,
    before: ServiceSpec[],
    after: ServiceSpec[],
    images: Record<Role, string>,
    dbPassword: string,
    onProgress: ProgressSink,
  ) {
    const changed = entriesChanged(before, after);
    const files = prometheusFilesBetween(before, after);
    const prometheus = after.find((s) => s.role === 'prometheus');
    if (files && prometheus && !changed.has(prometheus.name)) {
      const [c] = (await this.observer.containers(stack)).filter((x) => x.Labels?.[LABEL.role] === 'prometheus');
      onProgress({
        service: prometheus.name,
        phase: 'update',
        message: 'rewriting its files and reloading',
        at: Date.now(),
      });
      if (c) await writePrometheusFiles(this.docker, c.Id, files);
    }
    if (!changed.size) return;
    const old = (await this.observer.containers(stack)).filter((c) => changed.has(c.Labels?.[LABEL.service] ?? ''));
    await this.lifecycle.remove(
      stack,
      old.map((c) => ({ id: c.Id, service: c.Labels?.[LABEL.service] ?? '', running: c.State === 'running' })),
      onProgress,
    );
    await this.start(stack, after, images, dbPassword, onProgress, (s) => changed.has(s.name));
  }
}
