// load.*: a workload (shipped by name, or given whole) with its overrides, on the engine asked
// for where it can run, against the stack as it runs now, measured by the stack's collectors.
import type Docker from 'dockerode';
import path from 'node:path';
import type { LoadApi } from '../../contract/lab-api.js';
import { LabError } from '../../contract/errors.js';
import type { LabConfig } from '../config.js';
import { chooseEngine, describeK6 } from '../load/choose-engine.js';
import { locateK6 } from '../load/k6-locator.js';
import { applyOverrides } from '../load/workload-overrides.js';
import { listWorkloads, loadWorkload, parseWorkload } from '../load/workload-schema.js';
import { StackCollector } from '../metrics/stack-collector.js';
import type { RunStore } from '../runs/run-store.js';
import type { Collector, RunController } from '../runs/run-controller.js';
import { Autoscaler } from '../autoscale/autoscaler.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';
import type { StackStatus } from '../../contract/stack.js';
import { HOLD_MS, OutsideChanges } from '../runs/outside-changes.js';
import type { StackFeed } from './stack-feed.js';
import { CHOICES, COMPARED_FIGURES, isChoice, PREDICTED_METRICS, type Prediction } from '../../contract/prediction.js';

export interface LoadServiceDeps {
  config: LabConfig;
  runtime: StackRuntime;
  /** The engine's Docker client, where it has one: k6 may run as a container on the stack's network. */
  docker: Docker | undefined;
  store: RunStore;
  runs: RunController;
  /** What happens to the stack: a run records changes made outside this process too. */
  feed: StackFeed;
  /** The k6 binary saved in the engine's settings, read at each use. */
  k6Path?: () => string | null;
  /** Brings the API to this many instances, as a switch would (the autoscaler's hand). */
  scaleApi: (instances: number) => Promise<void>;
}

export function createLoadApi({
  config,
  runtime,
  docker,
  store,
  runs,
  feed,
  k6Path = () => null,
  scaleApi,
}: LoadServiceDeps): LoadApi {
  const stack = config.stack;
  const workloadsDir = path.join(config.loadScriptsDir, 'workloads');
  return {
    workloads: async () => listWorkloads(workloadsDir).map((n) => loadWorkload(n, workloadsDir)),
    engines: async () => {
      const k6 = await locateK6(docker, k6Path());
      return [
        { kind: 'builtin' as const, available: true, detail: 'built in: open model, undici, HDR histograms' },
        { kind: 'k6' as const, available: k6.kind !== 'none', detail: describeK6(k6) },
      ];
    },
    start: async (req) => {
      const prediction = req.prediction ? resolvePrediction(req.prediction, store) : undefined;
      const base =
        typeof req.workload === 'string' ? loadWorkload(req.workload, workloadsDir) : parseWorkload(req.workload);
      const workload = applyOverrides(base, { rate: req.rate, durationSeconds: req.durationSeconds, keys: req.keys });
      const status = await runtime.status(stack);
      const chosen = await chooseEngine(
        req.engine ?? 'builtin',
        req.script,
        config.loadScriptsDir,
        status,
        docker,
        k6Path(),
        req.generators,
        // Asked of the Swarm only for k6 (a built-in run has no generators to place).
        req.engine === 'k6' ? await runtime.swarmGenerators(stack) : null,
      );
      const stackCollector = status.running
        ? new StackCollector(
            runtime,
            stack,
            () => runtime.stackSecrets(stack),
            (label, marker) => runs.event('alert', label, marker),
          )
        : null;
      // The autoscaler acts while a run measures the stack: the run's points are its metric.
      const autoscaler = new Autoscaler({
        topology: () => runtime.topology(stack),
        scale: scaleApi,
        record: (label, detail) => runs.event('autoscale', label, detail),
      });
      const collector: Collector | null = stackCollector && {
        start: () => stackCollector.start(),
        stop: () => {
          autoscaler.stop();
          stackCollector.stop();
        },
        collect: async () => ({ ...(await stackCollector.collect()), ...autoscaler.series() }),
      };
      const tls = workload.tls ? await httpsTarget(runtime, stack, status) : undefined;
      const active = runs.start({
        workload,
        engine: chosen.engine,
        engineNote: chosen.engineNote,
        status,
        collector,
        versions: { app: config.appVersion, k6: chosen.k6Version },
        observe: (p) => autoscaler.observe(p),
        ...(tls ? { target: tls } : {}),
        ...(prediction ? { prediction } : {}),
      });
      recordOutsideChanges(feed, runs, active.id, active.done);
      return store.open(active.id).run;
    },
    setRate: async ({ rate }) => {
      const active = runs.current;
      if (!active) throw new LabError('No run is going.', 'NO_RUN');
      active.engine.setRate(rate);
      runs.event('rate', rate === null ? 'rate: back to the workload profile' : `rate: ${rate}/s`, { rate });
    },
    stop: async () => {
      const active = runs.current;
      if (!active) return null;
      active.engine.stop();
      return active.done;
    },
    current: async () => (runs.current ? store.open(runs.current.id).run : null),
  };
}

/** While a run goes, faults and switches made from another terminal (or by Docker alone) land in
 *  its event log like those made here. */
function recordOutsideChanges(feed: StackFeed, runs: RunController, runId: string, done: Promise<unknown>): void {
  const outside = new OutsideChanges();
  const record = (r: ReturnType<OutsideChanges['container']>) => {
    if (r && runs.current?.id === runId) runs.event(r.kind, r.label, r.detail);
  };
  const held = new Set<NodeJS.Timeout>();
  const off = feed.subscribe({
    own: (services) => outside.own(services),
    logged: (c) => record(outside.logged(c)),
    container: (e) => {
      const timer = setTimeout(() => {
        held.delete(timer);
        record(outside.container(e));
      }, HOLD_MS);
      held.add(timer);
    },
  });
  void done.finally(() => {
    off();
    held.forEach(clearTimeout);
  });
}

/** The balancer's HTTPS and the certificate to trust, for a workload over TLS; refused clearly
 *  when the stack does not answer HTTPS. */
async function httpsTarget(
  runtime: StackRuntime,
  stack: string,
  status: StackStatus,
): Promise<{ baseUrl: string; ca: string }> {
  if (!status.tlsUrl)
    throw new LabError(
      `This workload goes over HTTPS, and stack "${stack}" does not answer HTTPS.`,
      'BAD_INPUT',
      'Switch TLS on at the balancer: `scalelab apply --set loadBalancer.tls=true`.',
    );
  return { baseUrl: status.tlsUrl, ca: await runtime.tlsCertificate(stack) };
}

/** A prediction names a figure a run measures and a number for it, or a figure, an earlier run
 *  ("last": the newest of the user's own that ended) and lower, same or higher. */
export function resolvePrediction(p: Prediction, store: Pick<RunStore, 'list'>): Prediction {
  if (!isChoice(p)) {
    if (!(PREDICTED_METRICS as readonly string[]).includes(p.metric) || !Number.isFinite(p.value) || p.value < 0)
      throw new LabError(
        `prediction ${p.metric}=${p.value}: a figure (${PREDICTED_METRICS.join(', ')}) and a number of 0 or more`,
        'BAD_INPUT',
      );
    return p;
  }
  if (!COMPARED_FIGURES.includes(p.versus) || !(CHOICES as readonly string[]).includes(p.choice))
    throw new LabError(
      `prediction ${p.versus}=${p.choice}: a figure (${COMPARED_FIGURES.join(', ')}) and ${CHOICES.join(', ')}`,
      'BAD_INPUT',
    );
  const runs = store.list().filter((r) => !r.sample && r.status !== 'running');
  const against = p.against === 'last' ? runs[0] : runs.find((r) => r.id === p.against);
  if (!against)
    throw new LabError(
      p.against === 'last'
        ? 'A prediction against the last run needs a run that ended: there is none yet.'
        : `A prediction against run ${p.against}: there is no such run that ended.`,
      p.against === 'last' ? 'BAD_INPUT' : 'NO_SUCH_RUN',
      'Make a run first (the one to compare with), or predict a number instead.',
    );
  return { ...p, against: against.id };
}
