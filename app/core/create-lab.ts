// The composition root: config + runtime + engines + store -> the LabApi every host serves.
import os from 'node:os';
import path from 'node:path';
import type { LabApi, LabEvents } from '../contract/lab-api.js';
import { prepareApiBundle, resolveConfig, type LabConfig } from './config.js';
import { CHAPTERS } from './course/chapters.js';
import { createCourseApi } from './course/course-service.js';
import { createSettingsApi, savedK6Path } from './settings/settings-service.js';
import { curveRendererFrom, handoutRendererFrom, htmlRendererFrom } from './reports/html.js';
import { printPdfWithChromium, type PdfPrinter } from './reports/pdf.js';
import { createReportsApi } from './reports/reports-service.js';
import { FileRunStore } from './runs/file-run-store.js';
import { RunController } from './runs/run-controller.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { parseRegistrySetting } from './swarm/registry.js';
import { SwarmRuntime } from './swarm/swarm-runtime.js';
import type { StackRuntime } from './runtime/stack-runtime.js';
import { ChangeLog } from './runtime/change-log.js';
import { createLoadApi } from './services/load-service.js';
import { StackFeed } from './services/stack-feed.js';
import { ApplyLock } from './services/apply-lock.js';
import { pushStatus } from './services/status-pusher.js';
import { apiScaler, createStackApi } from './services/stack-service.js';
import { createMonitoringApi } from './services/monitoring-service.js';
import { resolveTopology } from './topology/topology-request.js';
import { runSweep } from './capacity/sweep.js';
import { runCurve } from './capacity/curve.js';
import { CurveStore } from './capacity/curve-store.js';

type Listener<K extends keyof LabEvents> = (payload: LabEvents[K]) => void;

export interface Lab {
  api: LabApi;
  /** Settles when the current run (if any) has ended: for hosts that exit after a run. */
  runDone(): Promise<unknown>;
  config: LabConfig;
  runtime: StackRuntime;
  on<K extends keyof LabEvents>(event: K, fn: Listener<K>): () => void;
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
  const runtimeOptions = {
    stackDir: config.stackDir,
    dataDir: config.dataDir,
    appVersion: config.appVersion,
    prepareApiBundle: () => prepareApiBundle(config.stackDir),
    seed: overrides.seed,
  };
  const runtime =
    overrides.runtime ??
    (config.target === 'swarm'
      ? new SwarmRuntime({
          ...runtimeOptions,
          dbNodeLabel: process.env.SCALELAB_SWARM_DB_LABEL || undefined,
          registry: parseRegistrySetting(process.env.SCALELAB_SWARM_REGISTRY),
        })
      : new DockerRuntime(runtimeOptions));
  const listeners = new Map<keyof LabEvents, Set<(p: unknown) => void>>();
  const emit = <K extends keyof LabEvents>(event: K, payload: LabEvents[K]) =>
    listeners.get(event)?.forEach((fn) => fn(payload));
  const progress = (e: LabEvents['stack.progress']) => emit('stack.progress', e);
  const sweepProgress = (message: string) => progress({ service: 'sweep', phase: 'update', message, at: Date.now() });
  const store = new FileRunStore(config.dataDir, [config.samplesDir]);
  const curves = new CurveStore(config.dataDir);
  const runs = new RunController(store, {
    onPoint: (p) => emit('run.point', p),
    onEvent: (e) => emit('run.event', e),
    onEnd: (r) => emit('run.end', r),
  });
  const docker = runtime instanceof DockerRuntime || runtime instanceof SwarmRuntime ? runtime.docker : undefined;
  const feed = new StackFeed(runtime, new ChangeLog(config.dataDir), config.stack);
  // Shared with every ScaleLab process on this data folder: one change of a stack at a time.
  const lock = new ApplyLock(path.join(config.dataDir, 'stacks', `${config.stack}.lock`));
  // The status is pushed while someone listens for it (a console connected), and only then.
  let stopPush: (() => void) | null = null;
  const onListeners = (event: keyof LabEvents, count: number) => {
    if (event !== 'stack.status') return;
    if (count > 0 && !stopPush) stopPush = pushStatus(feed, runtime, config.stack, (st) => emit('stack.status', st));
    if (count === 0 && stopPush) {
      stopPush();
      stopPush = null;
    }
  };

  const stackApi = createStackApi({ runtime, stack: config.stack, runs, progress, feed, lock });
  const api: LabApi = {
    stack: stackApi,
    load: createLoadApi({
      config,
      runtime,
      docker,
      store,
      runs,
      feed,
      k6Path: savedK6Path(config),
      scaleApi: apiScaler({ runtime, stack: config.stack, progress, feed, lock }),
    }),
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
      loadScriptsDir: config.loadScriptsDir,
      seed: overrides.seed,
      resolveTopology: (req) => resolveTopology(req),
      onProgress: progress,
      renderHtml: htmlRendererFrom(config.reportRenderer),
      renderHandout: handoutRendererFrom(config.reportRenderer),
      renderCurve: curveRendererFrom(config.reportRenderer),
      curves,
      chapters: CHAPTERS,
      printPdf: overrides.printPdf ?? printPdfWithChromium,
    }),
    course: createCourseApi(config.dataDir, CHAPTERS),
    settings: createSettingsApi(config, docker),
    monitoring: createMonitoringApi({ runtime, stack: config.stack, apply: stackApi.apply }),
    capacity: {
      sweep: (req) =>
        runSweep({ load: api.load, runs: api.runs }, req, sweepProgress, (label, marker) =>
          runs.event('sweep', label, marker),
        ),
      curve: async (req) =>
        runCurve(
          {
            apply: (t) => api.stack.apply(t),
            sweep: (s) => api.capacity.sweep(s),
            hostCores: os.cpus().length,
            id: curves.newId(),
            save: (c) => curves.save(c),
          },
          req,
          sweepProgress,
        ),
      curves: async () => curves.list(),
    },
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
      onListeners(event, set.size);
      return () => {
        set.delete(fn as (p: unknown) => void);
        onListeners(event, set.size);
      };
    },
  };
}
