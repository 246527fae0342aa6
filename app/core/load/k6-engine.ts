// The k6 engine: runs load-scripts/k6/workload.js (or a user's own script) under real k6, reads
// `--out json=-` from its stdout as it streams into the same one-second windows as the built-in
// engine, takes k6's own threshold verdicts from --summary-export and its exit code, and talks to
// its REST API (on 127.0.0.1) to stop it or change VUs where the scenario allows. With several
// generators, each runs one execution segment of the test (k6-segments.ts) and their streams are
// merged into the same windows, each sample tagged with the generator that measured it.
import type Docker from 'dockerode';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineKind, GeneratorSummary, ThresholdResult } from '../../contract/load.js';
import type { Workload } from './workload-schema.js';
import { LabError } from '../runtime/errors.js';
import { K6JsonParser } from './k6-json.js';
import type { K6Location } from './k6-locator.js';
import {
  patchStatus,
  resumeTogether,
  startGenerators,
  type StartedGenerator,
  type SwarmGenerators,
} from './k6-generators.js';
import { executionSegments } from './k6-segments.js';
import { summarize } from './latency-histogram.js';
import type { LoadEngine, LoadResult, LoadRunOptions } from './load-engine.js';
import { evaluateThresholds } from './thresholds.js';
import { thresholdMetrics, WindowAggregator } from './window-aggregator.js';
import { workloadDuration } from './workload-schema.js';

/** k6's exit codes that still mean "the test ran" (errext/exitcodes): 99 thresholds failed, 105 aborted from outside. */
const K6_RAN = new Set([0, 99, 105]);
/** k6 writes stdout through a 4 KiB buffer: a second is closed only once this much later. */
const WINDOW_GRACE_MS = 1500;

export interface K6EngineOptions {
  location: Exclude<K6Location, { kind: 'none' }>;
  /** load-scripts/k6/workload.js, or a user's own k6 script. */
  script: string;
  /** True for ScaleLab's workload.js (which reads WORKLOAD); false for a user's script. */
  isWorkloadScript: boolean;
  /** For the image: the engine, the stack's network, and the in-network URLs k6 should target. */
  container?: {
    docker: Docker;
    network: string;
    baseUrl: string;
    edgeUrl: string | null;
    labels: Record<string, string>;
    /** On a Swarm: the generators one service over the nodes (k6-generators.ts). */
    swarm?: SwarmGenerators;
  };
  /** Load generators splitting the test by k6's execution segments (1 runs it whole). */
  generators?: number;
}

/** --summary-export shape (oldJSONSummary): metrics.<name>.thresholds = { "<expr>": failed }. */
export function thresholdsFromSummaryExport(json: string): ThresholdResult[] {
  const doc = JSON.parse(json) as {
    metrics?: Record<string, Record<string, unknown> & { thresholds?: Record<string, boolean> }>;
  };
  const out: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(doc.metrics ?? {})) {
    for (const [expression, failed] of Object.entries(m.thresholds ?? {})) {
      const agg = /^\s*(avg|min|max|med|count|rate|value|p\([\d.]+\))/.exec(expression)?.[1];
      const raw = agg === 'rate' ? (m.value ?? m.rate) : agg ? m[agg] : undefined;
      out.push({ metric, expression, passed: !failed, actual: typeof raw === 'number' ? raw : null });
    }
  }
  return out;
}

export class K6Engine implements LoadEngine {
  readonly kind: EngineKind = 'k6';
  private generators: StartedGenerator[] = [];
  private stopRequested = false;

  constructor(private readonly opts: K6EngineOptions) {}

  private get major(): number {
    return Number(/^(\d+)/.exec(this.opts.location.version ?? '1')?.[1] ?? 1);
  }

  setRate(): void {
    throw new LabError(
      'k6 runs the workload as an arrival-rate scenario, whose rate cannot change while it runs.',
      'RATE_NOT_LIVE',
      'Use the built-in engine for the live rate knob, or stop and start again with --rate.',
    );
  }

  /** Changes VUs through k6's REST API: only for externally-controlled scenarios (k6 v1), one generator. */
  async setVus(vus: number): Promise<void> {
    if (this.major >= 2)
      throw new LabError(
        'k6 v2 removed live VU changes (externally-controlled).',
        'VUS_NOT_LIVE',
        'Use the built-in engine for live changes.',
      );
    const [g, ...more] = this.generators;
    if (!g) throw new LabError('k6 is not running.', 'NO_RUN');
    if (more.length)
      throw new LabError(
        'Live VU changes reach one k6 process; this run is split over several generators.',
        'VUS_NOT_LIVE',
        'Run with one generator to change VUs live.',
      );
    if (!(await patchStatus(g.proc, { vus })))
      throw new LabError(
        'k6 refused the VU change.',
        'VUS_NOT_LIVE',
        'Only externally-controlled scenarios take live VU changes.',
      );
  }

  stop(): void {
    this.stopRequested = true;
    this.stopAll();
  }

  /** Asks every generator to stop through its REST API (it then ends cleanly); signals it if that fails. */
  private stopAll(): void {
    for (const { proc } of this.generators)
      void patchStatus(proc, { stopped: true }).then((ok) => {
        if (!ok) proc.kill();
      });
  }

  async run({ workload, target, onWindow }: LoadRunOptions): Promise<LoadResult> {
    const work = mkdtempSync(path.join(os.tmpdir(), 'scalelab-k6-'));
    writeFileSync(path.join(work, 'workload.json'), JSON.stringify(workload));
    const c = this.opts.container;
    const env = {
      BASE_URL: c ? c.baseUrl : target.baseUrl,
      EDGE_URL: c ? (c.edgeUrl ?? c.baseUrl) : (target.edgeUrl ?? target.baseUrl),
      ...(target.clientHeader ? { CLIENT_HEADER: target.clientHeader } : {}),
      ...(this.opts.isWorkloadScript
        ? { WORKLOAD: c ? '/scalelab/workload.json' : path.join(work, 'workload.json') }
        : {}),
    };
    const segments = executionSegments(this.opts.generators ?? 1);
    const split = segments.length > 1;
    const where = this.opts.location.kind === 'binary' ? this.opts.location.path : this.opts.location.image;
    const generators = await startGenerators(
      { location: this.opts.location, script: this.opts.script, container: c },
      segments,
      work,
      env,
    ).catch((err: Error) => {
      throw err instanceof LabError
        ? err
        : new LabError(`k6 could not be started (${where}): ${err.message}`, 'K6_FAILED');
    });
    this.generators = generators;

    const agg = new WindowAggregator();
    const vus = new Map<string, number>();
    const measured = new Map(segments.map((s) => [s.name, { requests: 0, failed: 0, dropped: 0 }]));
    const stderr = new Map<string, string>();
    const parsers = generators.map(({ segment, proc }) => {
      const mine = measured.get(segment.name)!;
      const parser = new K6JsonParser({
        sample: (s) => {
          mine.requests++;
          if (s.status === 0 || s.status >= 400) mine.failed++;
          if (split) s.generator = segment.name;
          agg.record(s);
        },
        dropped: (at, n) => {
          mine.dropped += n;
          for (let i = 0; i < n; i++) agg.dropped(at, split ? segment.name : undefined);
        },
        timing: (at, part, ms) => agg.recordTiming(at, part, ms),
        vus: (_at, v) => vus.set(segment.name, v),
      });
      proc.stdout.setEncoding('utf8').on('data', (chunk: string) => parser.push(chunk));
      proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr.set(segment.name, ((stderr.get(segment.name) ?? '') + chunk).slice(-4000));
      });
      return parser;
    });
    const startedAt = Date.now();
    const flush = (before: number) => {
      const inFlight = [...vus.values()].reduce((a, b) => a + b, 0);
      for (const w of agg.flush(before, 0, { lateMsMax: 0, inFlight, cpuPercent: 0 })) onWindow(w);
    };
    const ticker = setInterval(() => flush(Date.now() - WINDOW_GRACE_MS), 250);
    const resuming = new AbortController();
    // One generator that fails stops the others (the rest of the test would not be the one asked
    // for); it is the one named, not those it stopped.
    let firstFailure = -1;
    const codes = Promise.all(
      generators.map(({ proc }, i) =>
        proc.exited.then((code) => {
          if (!K6_RAN.has(code) && firstFailure < 0 && !(this.stopRequested && code !== 107)) {
            firstFailure = i;
            this.stopAll();
          }
          return code;
        }),
      ),
    );
    let resumeError: unknown = null;
    if (split)
      await resumeTogether(generators, resuming.signal).catch((err: unknown) => {
        resumeError = err;
        this.stopAll();
      });
    const exitCodes = await codes
      .catch((err: Error) => {
        throw new LabError(`k6 could not be started (${where}): ${err.message}`, 'K6_FAILED');
      })
      .finally(() => {
        resuming.abort();
        clearInterval(ticker);
        this.generators = [];
      });
    for (const p of parsers) p.end();
    flush(Number.POSITIVE_INFINITY);
    const endedAt = Date.now();

    const failing = firstFailure;
    if (failing >= 0) {
      const code = exitCodes[failing];
      const who = split ? `k6 generator ${segments[failing].name}` : 'k6';
      const err = stderr.get(segments[failing].name)?.trim().split('\n').slice(-8).join('\n');
      throw new LabError(
        `${who} exited with code ${code}${code === 107 ? ' (a script error)' : ''}: ${err || '(nothing on stderr)'}`,
        'K6_FAILED',
        'The run keeps what was measured so far. Check the script with `k6 inspect`, or run the built-in engine.',
      );
    }
    if (resumeError) throw resumeError;
    const seconds = Math.max(0.001, (endedAt - startedAt) / 1000);
    return {
      engine: 'k6',
      startedAt,
      endedAt,
      totals: { ...agg.totals },
      failuresByReason: { ...agg.failuresByReason },
      latency: summarize(agg.total),
      thresholds: this.thresholds(generators, workload, agg, seconds),
      stoppedEarly: this.stopRequested && endedAt - startedAt < workloadDuration(workload) * 1000,
      ...(split
        ? {
            generators: segments.map((s, i): GeneratorSummary => ({
              name: s.name,
              segment: s.segment,
              ...measured.get(s.name)!,
              exitCode: exitCodes[i],
              ...(generators[i].node ? { node: generators[i].node } : {}),
            })),
          }
        : {}),
    };
  }

  /** k6's own verdicts from its summary export. Split over generators, each k6 judged only its
   *  segment: ScaleLab's workload is judged again on the merged figures, and a user's own script
   *  keeps each generator's verdicts, named. Without a summary (k6 stopped early), the workload's
   *  thresholds are judged on what was measured. */
  private thresholds(
    generators: StartedGenerator[],
    workload: Workload,
    agg: WindowAggregator,
    seconds: number,
  ): ThresholdResult[] {
    const merged = () => evaluateThresholds(workload.thresholds, thresholdMetrics(agg, seconds));
    const read = (g: StartedGenerator) => {
      try {
        return thresholdsFromSummaryExport(readFileSync(g.summaryFile, 'utf8'));
      } catch {
        return null;
      }
    };
    if (generators.length === 1) return read(generators[0]) ?? merged();
    if (this.opts.isWorkloadScript) return merged();
    const each = generators.map((g) =>
      (read(g) ?? []).map((t) => ({ ...t, expression: `${t.expression} on ${g.segment.name}'s segment` })),
    );
    return each.every((e) => e.length === 0) ? merged() : each.flat();
  }
}
