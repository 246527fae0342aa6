// The k6 engine: runs load-scripts/k6/workload.js (or a user's own script) under real k6, reads
// `--out json=-` from its stdout as it streams into the same one-second windows as the built-in
// engine, takes k6's own threshold verdicts from --summary-export and its exit code, and talks to
// its REST API (on 127.0.0.1) to stop it or change VUs where the scenario allows.
import type Docker from 'dockerode';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EngineKind, ThresholdResult } from '../../contract/load.js';
import { LabError } from '../runtime/errors.js';
import { K6JsonParser } from './k6-json.js';
import type { K6Location } from './k6-locator.js';
import { k6Args, runK6Container, spawnLocalK6, type K6Process } from './k6-process.js';
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
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
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
  private proc: K6Process | null = null;
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

  /** Changes VUs through k6's REST API: only for externally-controlled scenarios (k6 v1). */
  async setVus(vus: number): Promise<void> {
    if (this.major >= 2)
      throw new LabError(
        'k6 v2 removed live VU changes (externally-controlled).',
        'VUS_NOT_LIVE',
        'Use the built-in engine for live changes.',
      );
    if (!this.proc) throw new LabError('k6 is not running.', 'NO_RUN');
    const res = await fetch(`${this.proc.restUrl}/v1/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { vus } } }),
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok)
      throw new LabError(
        `k6 refused the VU change: ${await res.text()}`,
        'VUS_NOT_LIVE',
        'Only externally-controlled scenarios take live VU changes.',
      );
  }

  stop(): void {
    this.stopRequested = true;
    const proc = this.proc;
    if (!proc) return;
    // Ask k6 to stop through its REST API (it then ends cleanly); signal it if that fails.
    fetch(`${proc.restUrl}/v1/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { stopped: true } } }),
      signal: AbortSignal.timeout(2000),
    }).then(
      (r) => {
        if (!r.ok) proc.kill();
      },
      () => proc.kill(),
    );
  }

  async run({ workload, target, onWindow }: LoadRunOptions): Promise<LoadResult> {
    const work = mkdtempSync(path.join(os.tmpdir(), 'scalelab-k6-'));
    const summaryFile = path.join(work, 'summary.json');
    writeFileSync(path.join(work, 'workload.json'), JSON.stringify(workload));
    const c = this.opts.container;
    // In a container, k6 sees the run folder and the script's folder through bind mounts.
    const inside = (p: string) => (c ? `/scalelab/${path.relative(work, p)}` : p);
    const scriptDir = path.dirname(this.opts.script);
    const env = {
      BASE_URL: c ? c.baseUrl : target.baseUrl,
      EDGE_URL: c ? (c.edgeUrl ?? c.baseUrl) : (target.edgeUrl ?? target.baseUrl),
      ...(target.clientHeader ? { CLIENT_HEADER: target.clientHeader } : {}),
      ...(this.opts.isWorkloadScript ? { WORKLOAD: inside(path.join(work, 'workload.json')) } : {}),
    };
    if (this.opts.location.kind === 'image') {
      if (!c) throw new LabError("k6 in a container needs the stack's network.", 'K6_FAILED');
      this.proc = await runK6Container(c.docker, {
        image: this.opts.location.image,
        network: c.network,
        labels: c.labels,
        args: k6Args({
          restAddress: '0.0.0.0:6565',
          summaryFile: inside(summaryFile),
          env,
          script: `/scripts/${path.basename(this.opts.script)}`,
        }),
        mounts: [
          { host: work, container: '/scalelab', readOnly: false },
          { host: scriptDir, container: '/scripts', readOnly: true },
        ],
      });
    } else {
      const port = await freePort();
      this.proc = spawnLocalK6(
        this.opts.location.path,
        k6Args({ restAddress: `127.0.0.1:${port}`, summaryFile, env, script: this.opts.script }),
        port,
      );
    }
    const proc = this.proc;

    const agg = new WindowAggregator();
    let vus = 0;
    const parser = new K6JsonParser({
      sample: (s) => agg.record(s),
      dropped: (at, n) => {
        for (let i = 0; i < n; i++) agg.dropped(at);
      },
      timing: (at, part, ms) => agg.recordTiming(at, part, ms),
      vus: (_at, v) => {
        vus = v;
      },
    });
    const startedAt = Date.now();
    const flush = (before: number) => {
      for (const w of agg.flush(before, 0, { lateMsMax: 0, inFlight: vus, cpuPercent: 0 })) onWindow(w);
    };
    const ticker = setInterval(() => flush(Date.now() - WINDOW_GRACE_MS), 250);
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => parser.push(chunk));
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const where = this.opts.location.kind === 'binary' ? this.opts.location.path : this.opts.location.image;
    const code = await proc.exited
      .catch((err: Error) => {
        throw new LabError(`k6 could not be started (${where}): ${err.message}`, 'K6_FAILED');
      })
      .finally(() => {
        clearInterval(ticker);
        this.proc = null;
      });
    parser.end();
    flush(Number.POSITIVE_INFINITY);
    const endedAt = Date.now();

    if (!K6_RAN.has(code) && !(this.stopRequested && code !== 107)) {
      throw new LabError(
        `k6 exited with code ${code}${code === 107 ? ' (a script error)' : ''}: ${stderr.trim().split('\n').slice(-8).join('\n') || '(nothing on stderr)'}`,
        'K6_FAILED',
        'The run keeps what was measured so far. Check the script with `k6 inspect`, or run the built-in engine.',
      );
    }
    let thresholds: ThresholdResult[];
    try {
      thresholds = thresholdsFromSummaryExport(readFileSync(summaryFile, 'utf8'));
    } catch {
      // No summary (k6 stopped early): judge the workload's thresholds on what was measured.
      thresholds = evaluateThresholds(
        workload.thresholds,
        thresholdMetrics(agg, Math.max(0.001, (endedAt - startedAt) / 1000)),
      );
    }
    return {
      engine: 'k6',
      startedAt,
      endedAt,
      totals: { ...agg.totals },
      failuresByReason: { ...agg.failuresByReason },
      latency: summarize(agg.total),
      thresholds,
      stoppedEarly: this.stopRequested && endedAt - startedAt < workloadDuration(workload) * 1000,
    };
  }
}
