// The composition root: config + runtime -> the LabApi every host serves.
import path from 'node:path';
import type { LabApi, LabEvents, TopologyRequest } from '../contract/lab-api.js';
import { FAULT_KINDS, type FaultKind, type StackStatus } from '../contract/stack.js';
import { prepareApiBundle, resolveConfig, type LabConfig } from './config.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { LABEL, networkName } from './runtime/names.js';
import { API_PORT } from './topology/plan.js';
import { LabError } from './runtime/errors.js';
import type { StackRuntime } from './runtime/stack-runtime.js';
import { BuiltinEngine } from './load/builtin-engine.js';
import { K6Engine } from './load/k6-engine.js';
import { locateK6 } from './load/k6-locator.js';
import { applyOverrides } from './load/workload-overrides.js';
import { listWorkloads, loadWorkload, parseWorkload } from './load/workload-schema.js';
import { StackCollector } from './metrics/stack-collector.js';
import { FileRunStore } from './runs/file-run-store.js';
import { RunController } from './runs/run-controller.js';
import { diff } from './topology/diff.js';
import { getPreset, PRESETS } from './topology/presets.js';
import { parseTopology, type Topology } from './topology/schema.js';
import { htmlRendererFrom } from './reports/html.js';
import { printPdfWithChromium, type PdfPrinter } from './reports/pdf.js';
import { createReportsApi } from './reports/reports-service.js';

type Listener<K extends keyof LabEvents> = (payload: LabEvents[K]) => void;

export interface Lab {
  api: LabApi;
  /** Settles when the current run (if any) has ended: for hosts that exit after a run. */
  runDone(): Promise<unknown>;
  config: LabConfig;
  runtime: StackRuntime;
  on<K extends keyof LabEvents>(event: K, fn: Listener<K>): () => void;
}

/** Merges a preset (or the defaults) with the given fields, one level deep, then validates. */
export function resolveTopology(req: TopologyRequest): Topology {
  const base: Record<string, unknown> = req.preset ? structuredClone(getPreset(req.preset).topology) : {};
  const over = (req.topology ?? {}) as Record<string, unknown>;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return parseTopology(over);
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = merged[k];
    merged[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object'
        ? { ...(b as object), ...(v as object) }
        : v;
  }
  return parseTopology(merged);
}

/** k6 when asked for and found (a binary, or the grafana/k6 image on the stack's network);
 *  otherwise the built-in engine, with a note saying why. */
async function chooseEngine(
  kind: 'builtin' | 'k6',
  script: string | undefined,
  loadScriptsDir: string,
  status: StackStatus,
  runtime: StackRuntime,
) {
  if (kind === 'builtin' && !script) return { engine: new BuiltinEngine(), engineNote: null, k6Version: null };
  const docker = runtime instanceof DockerRuntime ? runtime.docker : undefined;
  const k6 = await locateK6(docker);
  const own = script ? path.resolve(script) : undefined;
  const file = own ?? path.join(loadScriptsDir, 'k6', 'workload.js');
  if (k6.kind === 'binary') {
    return {
      engine: new K6Engine({ location: k6, script: file, isWorkloadScript: !own }),
      engineNote: null,
      k6Version: k6.version,
    };
  }
  if (k6.kind === 'image' && docker) {
    // Inside the stack's network k6 reaches services by name, as a client in the same data center would.
    const has = (name: string) => status.services.some((s) => s.name === name && s.state === 'running');
    const container = {
      docker,
      network: networkName(status.stack),
      baseUrl: has('lb') ? 'http://lb:80' : `http://api-1:${API_PORT}`,
      edgeUrl: has('cdn') ? 'http://cdn:80' : null,
      labels: { [LABEL.stack]: status.stack, [LABEL.role]: 'k6', [LABEL.service]: 'k6' },
    };
    return {
      engine: new K6Engine({ location: k6, script: file, isWorkloadScript: !own, container }),
      engineNote: `k6 from ${k6.image} on the stack's network`,
      k6Version: k6.image,
    };
  }
  const why = k6.kind === 'none' ? k6.reason : 'no Docker engine to run the grafana/k6 image on';
  if (script)
    throw new LabError(
      `A k6 script needs k6: ${why}.`,
      'K6_MISSING',
      'Install k6 (https://k6.io) or set SCALELAB_K6 to its path.',
    );
  return { engine: new BuiltinEngine(), engineNote: `${why}: ran the built-in engine instead`, k6Version: null };
}

export function createLab(
  overrides: Partial<LabConfig> & {
    runtime?: StackRuntime;
    seed?: { products: number; orders: number };
    /** How the host prints a report to PDF (Electron: printToPDF); a headless Chromium by default. */
    printPdf?: PdfPrinter;
  } = {},
): Lab {
  const config = resolveConfig(overrides);
  const runtime =
    overrides.runtime ??
    new DockerRuntime({
      stackDir: config.stackDir,
      dataDir: config.dataDir,
      appVersion: config.appVersion,
      prepareApiBundle: () => prepareApiBundle(config.stackDir),
      seed: overrides.seed,
    });
  const listeners = new Map<keyof LabEvents, Set<(p: unknown) => void>>();
  const emit = <K extends keyof LabEvents>(event: K, payload: LabEvents[K]) =>
    listeners.get(event)?.forEach((fn) => fn(payload));
  const progress = (e: LabEvents['stack.progress']) => emit('stack.progress', e);
  const stack = config.stack;
  const workloadsDir = path.join(config.loadScriptsDir, 'workloads');
  const store = new FileRunStore(config.dataDir, [config.samplesDir]);
  const runs = new RunController(store, {
    onPoint: (p) => emit('run.point', p),
    onEvent: (e) => emit('run.event', e),
    onEnd: (r) => emit('run.end', r),
  });

  const api: LabApi = {
    stack: {
      presets: async () => structuredClone([...PRESETS]),
      status: () => runtime.status(stack),
      validate: async (req) => resolveTopology(req),
      preview: async (req) => {
        const current = (await runtime.status(stack)).topology;
        return current ? diff(current, resolveTopology(req)) : [];
      },
      up: (req) => runtime.up(stack, resolveTopology(req), progress),
      apply: async (req) => {
        const res = await runtime.apply(stack, resolveTopology(req), progress);
        for (const c of res.changes)
          runs.event('switch', `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`, c);
        return res;
      },
      down: () => runtime.down(stack, progress),
      fault: async ({ service, kind }) => {
        if (!FAULT_KINDS.includes(kind as FaultKind))
          throw new LabError(`unknown fault "${kind}": one of ${FAULT_KINDS.join(', ')}`, 'BAD_FAULT');
        await runtime.fault(stack, service, kind);
        runs.event('fault', `${kind} ${service}`, { service, kind });
      },
      logs: ({ service, tail }) => runtime.logs(stack, service, tail),
      replication: () => runtime.replication(stack),
    },
    load: {
      workloads: async () => listWorkloads(workloadsDir).map((n) => loadWorkload(n, workloadsDir)),
      engines: async () => {
        const k6 = await locateK6(runtime instanceof DockerRuntime ? runtime.docker : undefined);
        return [
          { kind: 'builtin' as const, available: true, detail: 'built in: open model, undici, HDR histograms' },
          {
            kind: 'k6' as const,
            available: k6.kind !== 'none',
            detail:
              k6.kind === 'binary'
                ? `k6 ${k6.version} (${k6.path})`
                : k6.kind === 'image'
                  ? `${k6.image} on the stack's network`
                  : k6.reason,
          },
        ];
      },
      start: async (req) => {
        const base =
          typeof req.workload === 'string' ? loadWorkload(req.workload, workloadsDir) : parseWorkload(req.workload);
        const workload = applyOverrides(base, { rate: req.rate, durationSeconds: req.durationSeconds });
        const status = await runtime.status(stack);
        const { engine, engineNote, k6Version } = await chooseEngine(
          req.engine ?? 'builtin',
          req.script,
          config.loadScriptsDir,
          status,
          runtime,
        );
        const collector = status.running
          ? new StackCollector(runtime, stack, async () => (await runtime.stackSecrets(stack)).dbPassword)
          : null;
        const active = runs.start({
          workload,
          engine,
          engineNote,
          status,
          collector,
          versions: { app: config.appVersion, k6: k6Version },
        });
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
    },
    runs: {
      list: async () => store.list(),
      open: async ({ id }) => store.open(id),
      delete: async ({ id }) => store.delete(id),
      compare: async ({ a, b }) => store.compare(a, b),
    },
    reports: createReportsApi({
      store,
      runtime,
      appVersion: config.appVersion,
      stackDir: config.stackDir,
      seed: overrides.seed,
      resolveTopology,
      onProgress: progress,
      renderHtml: htmlRendererFrom(config.reportRenderer),
      printPdf: overrides.printPdf ?? printPdfWithChromium,
    }),
  };

  return {
    api,
    config,
    runtime,
    runDone: () => runs.current?.done ?? Promise.resolve(null),
    on(event, fn) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(fn as (p: unknown) => void);
      return () => set.delete(fn as (p: unknown) => void);
    },
  };
}
