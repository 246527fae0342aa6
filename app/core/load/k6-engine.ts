// The k6 engine: runs load-scripts/k6/workload.js (or a user's own script) under real k6, reads
// `--out json=-` from its stdout as it streams into the same one-second windows as the built-in
// engine, takes k6's own threshold verdicts from --summary-export and its exit code, and talks to
// its REST API (on 127.0.0.1) to stop it or change VUs where the scenario allows.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { EngineKind, ThresholdResult } from '../../contract/load.js';
import { LabError } from '../runtime/errors.js';
import { K6JsonParser } from './k6-json.js';
import type { K6Location } from './k6-locator.js';
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
  location: Extract<K6Location, { kind: 'binary' }>;
  /** load-scripts/k6/workload.js, or a user's own k6 script. */
  script: string;
  /** True for ScaleLab's workload.js (which reads WORKLOAD); false for a user's script. */
  isWorkloadScript: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
  });
}

/** --summary-export shape (oldJSONSummary): metrics.<name>.thresholds = { "<expr>": failed }. */
export function thresholdsFromSummaryExport(json: string): ThresholdResult[] {
  const doc = JSON.parse(json) as { metrics?: Record<string, Record<string, unknown> & { thresholds?: Record<string, boolean> }> };
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
  private child: ChildProcess | null = null;
  private restPort = 0;
  private stopRequested = false;

  constructor(private readonly opts: K6EngineOptions) {}

  private get major(): number { return Number(/^(\d+)/.exec(this.opts.location.version)?.[1] ?? 1); }

  setRate(): void {
    throw new LabError('k6 runs the workload as an arrival-rate scenario, whose rate cannot change while it runs.', 'RATE_NOT_LIVE',
      'Use the built-in engine for the live rate knob, or stop and start again with --rate.');
  }

  /** Changes VUs through k6's REST API: only for externally-controlled scenarios (k6 v1). */
  async setVus(vus: number): Promise<void> {
    if (this.major >= 2) throw new LabError('k6 v2 removed live VU changes (externally-controlled).', 'VUS_NOT_LIVE', 'Use the built-in engine for live changes.');
    const res = await fetch(`http://127.0.0.1:${this.restPort}/v1/status`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { vus } } }), signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) throw new LabError(`k6 refused the VU change: ${await res.text()}`, 'VUS_NOT_LIVE', 'Only externally-controlled scenarios take live VU changes.');
  }

  stop(): void {
    this.stopRequested = true;
    if (!this.child) return;
    // Ask k6 to stop through its REST API (it then ends cleanly); signal it if that fails.
    fetch(`http://127.0.0.1:${this.restPort}/v1/status`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { stopped: true } } }), signal: AbortSignal.timeout(2000),
    }).catch(() => this.child?.kill('SIGINT'));
  }

  async run({ workload, target, onWindow }: LoadRunOptions): Promise<LoadResult> {
    const work = mkdtempSync(path.join(os.tmpdir(), 'scalelab-k6-'));
    const workloadFile = path.join(work, 'workload.json');
    const summaryFile = path.join(work, 'summary.json');
    writeFileSync(workloadFile, JSON.stringify(workload));
    this.restPort = await freePort();
    const args = ['run', '-q', '--out', 'json=-', '--summary-export', summaryFile, '--address', `127.0.0.1:${this.restPort}`,
      '-e', `BASE_URL=${target.baseUrl}`, '-e', `EDGE_URL=${target.edgeUrl ?? target.baseUrl}`,
      ...(this.opts.isWorkloadScript ? ['-e', `WORKLOAD=${workloadFile}`] : []), this.opts.script];

    const agg = new WindowAggregator();
    let vus = 0;
    const parser = new K6JsonParser({
      sample: (s) => agg.record(s),
      dropped: (at, n) => { for (let i = 0; i < n; i++) agg.dropped(at); },
      vus: (_at, v) => { vus = v; },
    });
    const startedAt = Date.now();
    const flush = (before: number) => { for (const w of agg.flush(before, 0, { lateMsMax: 0, inFlight: vus, cpuPercent: 0 })) onWindow(w); };
    const ticker = setInterval(() => flush(Date.now() - WINDOW_GRACE_MS), 250);
    let stderr = '';
    const child = spawn(this.opts.location.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => parser.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', (err) => reject(new LabError(`k6 could not be started (${this.opts.location.path}): ${err.message}`, 'K6_FAILED')));
      child.once('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
    }).finally(() => { clearInterval(ticker); this.child = null; });
    parser.end();
    flush(Number.POSITIVE_INFINITY);
    const endedAt = Date.now();

    if (!K6_RAN.has(code) && !(this.stopRequested && code !== 107)) {
      throw new LabError(`k6 exited with code ${code}${code === 107 ? ' (a script error)' : ''}: ${stderr.trim().split('\n').slice(-8).join('\n') || '(nothing on stderr)'}`, 'K6_FAILED',
        'The run keeps what was measured so far. Check the script with `k6 inspect`, or run the built-in engine.');
    }
    let thresholds: ThresholdResult[];
    try {
      thresholds = thresholdsFromSummaryExport(readFileSync(summaryFile, 'utf8'));
    } catch {
      // No summary (k6 stopped early): judge the workload's thresholds on what was measured.
      thresholds = evaluateThresholds(workload.thresholds, thresholdMetrics(agg, Math.max(0.001, (endedAt - startedAt) / 1000)));
    }
    return {
      engine: 'k6', startedAt, endedAt, totals: { ...agg.totals }, latency: summarize(agg.total), thresholds,
      stoppedEarly: this.stopRequested && endedAt - startedAt < workloadDuration(workload) * 1000,
    };
  }
}
