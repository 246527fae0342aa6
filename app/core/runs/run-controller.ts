// One run at a time: checks it can write, opens a run folder, drives the load engine, samples the
// stack once a second, merges both into one timeline point a second, and closes the run with its
// summary and thresholds. Switches and faults made during the run land in its event log.
import type { EngineKind, RunSummary } from '../../contract/load.js';
import type { SweepMarker } from '../../contract/capacity.js';
import { isChoice, type Prediction, type VersusOutcome } from '../../contract/prediction.js';
import { significance } from '../capacity/significance.js';
import { measurementVerdict } from '../capacity/validity.js';
import { FAMILY, SERIES } from '../../contract/series.js';
import { sortedSeries, type RunEvent, type RunRecord, type TimelinePoint } from '../../contract/runs.js';
import type { StackStatus } from '../../contract/stack.js';
import type { Topology } from '../../contract/topology.js';
import type { LoadEngine, LoadResult } from '../load/load-engine.js';
import type { Workload } from '../load/workload-schema.js';
import { loadWindowSeries } from '../metrics/load-series.js';
import type { Series } from '../metrics/stack-collector.js';
import { LabError } from '../runtime/errors.js';
import type { RunStore, RunWriter } from './run-store.js';

export interface Collector {
  start(): void;
  stop(): void;
  collect(): Promise<Series>;
}

export interface StartRun {
  workload: Workload;
  engine: LoadEngine;
  engineNote: string | null;
  status: StackStatus;
  collector: Collector | null;
  versions: { app: string; k6: string | null };
  /** Sees each point of this run as it is written (the autoscaler reads its metric from them). */
  observe?: (p: TimelinePoint) => void;
  /** Where the load goes when not the stack's entry (the balancer's HTTPS, with its certificate). */
  target?: { baseUrl: string; ca: string };
  prediction?: Prediction;
}

export interface RunListeners {
  onPoint?: (p: TimelinePoint) => void;
  onEvent?: (e: RunEvent) => void;
  onEnd?: (r: RunRecord) => void;
}

export interface ActiveRun {
  id: string;
  dir: string;
  engine: LoadEngine;
  done: Promise<RunRecord>;
}

export class RunController {
  /** The run going, and the knee its sweep ended with (when it is a sweep's). */
  private active: (ActiveRun & { writer: RunWriter; knee?: number | null }) | null = null;

  constructor(
    private readonly store: RunStore,
    private readonly listeners: RunListeners = {},
  ) {}

  get current(): ActiveRun | null {
    return this.active;
  }

  /** Starts a run and returns at once; `done` settles when it ends. */
  start(o: StartRun): ActiveRun {
    if (this.active)
      throw new LabError(
        `A run is already going (${this.active.id}).`,
        'RUN_ACTIVE',
        'Stop it first, or wait for it to end.',
      );
    if (!o.status.entryUrl)
      throw new LabError(
        `Stack "${o.status.stack}" is not running: there is nothing to send load to.`,
        'STACK_NOT_RUNNING',
        'Bring it up first: `scalelab up --preset full`.',
      );
    this.store.checkWritable();
    const writer = this.store.create({
      status: 'running',
      endedAt: null,
      workload: o.workload,
      engine: o.engine.kind,
      engineNote: o.engineNote,
      topology: (o.status.topology as Topology | null) ?? null,
      target: { entryUrl: o.target?.baseUrl ?? o.status.entryUrl, edgeUrl: o.status.edgeUrl },
      versions: o.versions,
      summary: null,
      error: null,
      ...(o.prediction ? { prediction: o.prediction } : {}),
    });
    const done = this.drive(writer, o).finally(() => {
      writer.close();
      this.active = null;
    });
    this.active = { id: writer.id, dir: writer.dir, engine: o.engine, done, writer };
    return this.active;
  }

  /** Records a switch, fault or rate change on the running run's timeline (no-op when none runs). */
  event(kind: RunEvent['kind'], label: string, detail?: unknown): void {
    if (!this.active) return;
    const e: RunEvent = { t: Date.now(), kind, label, ...(detail === undefined ? {} : { detail }) };
    this.active.writer.appendEvent(e);
    const m = kind === 'sweep' ? (detail as SweepMarker | undefined) : undefined;
    if (m?.phase === 'done') this.active.knee = m.knee;
    this.listeners.onEvent?.(e);
  }

  /** A choice prediction's figure, this run against the earlier one it names. */
  private versus(against: string, metric: string, points: TimelinePoint[]): VersusOutcome {
    let earlier: TimelinePoint[];
    try {
      earlier = this.store.open(against).timeline;
    } catch (err) {
      return { unavailable: `run ${against} could not be read (${(err as Error).message})` };
    }
    const sig = significance(earlier, points);
    if ('unavailable' in sig) return sig;
    return sig.differences.find((d) => d.metric === metric) ?? { unavailable: `no ${metric} in both runs` };
  }

  private async drive(writer: RunWriter, o: StartRun): Promise<RunRecord> {
    const points: TimelinePoint[] = [];
    const pending = new Set<Promise<void>>();
    o.collector?.start();
    let result: LoadResult | null = null;
    let error: Error | null = null;
    try {
      result = await o.engine.run({
        workload: o.workload,
        target: {
          baseUrl: o.target?.baseUrl ?? o.status.entryUrl!,
          ...(o.target ? { ca: o.target.ca } : {}),
          edgeUrl: o.status.edgeUrl,
          clientHeader: (o.status.topology as Topology | null)?.rateLimit.clientHeader,
        },
        onWindow: (w) => {
          // The stack is sampled when the engine closes a second, so both halves of a point are of the same moment.
          const stack = o.collector ? o.collector.collect().catch(() => ({})) : Promise.resolve({});
          const written: Promise<void> = stack
            .then((s) => {
              const p: TimelinePoint = { t: w.t, v: sortedSeries({ ...loadWindowSeries(w), ...s }) };
              points.push(p);
              writer.appendPoint(p);
              this.listeners.onPoint?.(p);
              o.observe?.(p);
            })
            .finally(() => pending.delete(written));
          pending.add(written);
        },
      });
    } catch (err) {
      error = err as Error;
    } finally {
      // The last seconds' stack samples land before the collector stops and the files close.
      await Promise.allSettled([...pending]);
      o.collector?.stop();
    }
    const base = result ? summarizeRun(result, points, o.engine.kind) : null;
    const knee = this.active?.id === writer.id ? this.active.knee : undefined;
    const p = o.prediction;
    const summary = base && {
      ...base,
      ...(knee !== undefined ? { knee } : {}),
      ...(p && isChoice(p) ? { versus: this.versus(p.against, p.versus, points) } : {}),
    };
    const refused =
      result &&
      result.totals.completed > 0 &&
      result.totals.completed === result.totals.failed &&
      !points.some((p) => Object.keys(p.v).some((k) => (FAMILY.status.nameOf(k) ?? '0') !== '0'));
    const status: RunRecord['status'] = error
      ? 'error'
      : refused
        ? 'error'
        : result!.stoppedEarly
          ? 'stopped'
          : summary!.thresholdsPassed
            ? 'passed'
            : 'failed';
    const message = error
      ? error.message
      : refused
        ? `no request got an answer from ${o.status.entryUrl}: is the stack up and healthy? (\`scalelab status\`)`
        : null;
    const record = writer.update({ status, endedAt: Date.now(), summary, error: message });
    this.listeners.onEnd?.(record);
    return record;
  }
}

/** The run's figures: the engine's totals and latency, hit ratio and lag from the stack's own series. */
export function summarizeRun(r: LoadResult, points: TimelinePoint[], engine: EngineKind = 'builtin'): RunSummary {
  const seconds = Math.max(0.001, (r.endedAt - r.startedAt) / 1000);
  const sum = (name: string) =>
    points.reduce((s, p) => s + (typeof p.v[name] === 'number' ? (p.v[name] as number) : 0), 0);
  const redisHits = sum(SERIES.redisHits);
  const redisMisses = sum(SERIES.redisMisses);
  const hitRatio =
    redisHits + redisMisses > 0
      ? redisHits / (redisHits + redisMisses)
      : r.totals.hits + r.totals.misses > 0
        ? r.totals.hits / (r.totals.hits + r.totals.misses)
        : null;
  const lags = points.map((p) => p.v[SERIES.lagMax]).filter((x): x is number => typeof x === 'number');
  return {
    requests: r.totals.completed,
    failed: r.totals.failed,
    dropped: r.totals.dropped,
    durationSeconds: Math.round(seconds * 10) / 10,
    rps: Math.round((r.totals.completed / seconds) * 10) / 10,
    latency: r.latency,
    errorRate: r.totals.completed ? r.totals.failed / r.totals.completed : 0,
    failuresByReason: r.failuresByReason,
    hitRatio,
    maxLagSeconds: lags.length ? Math.max(...lags) : null,
    staleReads: Math.max(r.totals.stale, sum(SERIES.apiStaleReads)),
    ...(points.some((p) => FAMILY.session.key('lost') in p.v) ? { sessionsLost: sum(FAMILY.session.key('lost')) } : {}),
    thresholds: r.thresholds,
    thresholdsPassed: r.thresholds.every((t) => t.passed),
    measurement: measurementVerdict(points, engine, r.generators),
    ...(r.generators ? { generators: r.generators } : {}),
  };
}
