// The console open in Debian's Chromium with probes in the page: every frame's interval, every
// long task, and the JS heap after a forced GC. Shared by bench:console and bench:long-run.
import { chromium, type Page } from 'playwright-core';
import { markTourSeen } from '../e2e/fixtures/console.js';

export interface ProbedConsole {
  page: Page;
  heapMb(): Promise<number>;
  /** Frame intervals (as a histogram) and long tasks since the last reset (its first frames dropped). */
  read(): Promise<{ frames: FrameHistogram; longTasks: number[] }>;
  reset(): Promise<void>;
  /** Every task the renderer's main thread ran for `ms` (Chromium's own trace): what each update costs. */
  traceTasks(ms: number): Promise<TaskDurations>;
  /** Chromium's CPU profiler over `ms`: self and total time per function of the page. */
  profile(ms: number, moduleAt?: ModuleAt): Promise<CpuProfileSummary>;
  close(): Promise<void>;
}

export async function openProbedConsole(url: string, ready = '[data-testid="tab-lab"]'): Promise<ProbedConsole> {
  const browser = await chromium.launch({
    executablePath: process.env.SCALELAB_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, bypassCSP: true }); // to inject the frame probe
  // The first-run tour is not part of what is measured.
  await context.addInitScript(markTourSeen);
  const page = await context.newPage();
  await page.goto(url);
  if (ready) await page.locator(ready).waitFor();
  // The probe goes in as a string: the TypeScript runner adds helpers to functions that do not
  // exist in the page (this context bypasses the CSP for exactly this). Frame intervals go into a
  // fixed histogram (0.1 ms buckets up to 1 s, then one overflow bucket with its values kept):
  // an array of every frame would grow the very heap being measured by 1.5 MB an hour.
  await page.evaluate(`(() => {
    window.reset_ = () => { window.hist_ = new Uint32Array(10001); window.over_ = []; window.longTasks_ = []; window.skip_ = 5; };
    window.reset_();
    let last = performance.now();
    const tick = (now) => {
      const d = now - last; last = now;
      if (window.skip_ > 0) window.skip_--; else if (d < 1000) window.hist_[Math.round(d * 10)]++; else window.over_.push(d);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks_.push(e.duration); }).observe({ type: 'longtask', buffered: false });
  })()`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    page,
    heapMb: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (
        (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'JSHeapUsedSize')!.value / 1024 / 1024
      );
    },
    read: async () => {
      const r = (await page.evaluate(
        '({ hist: Array.from(window.hist_), over: window.over_, longTasks: window.longTasks_ })',
      )) as { hist: number[]; over: number[]; longTasks: number[] };
      return { frames: new FrameHistogram(r.hist, r.over), longTasks: r.longTasks };
    },
    reset: async () => {
      await page.evaluate('window.reset_()');
    },
    traceTasks: async (ms) => {
      const events: TraceEvent[] = [];
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      cdp.on('Tracing.dataCollected', (d) => {
        events.push(...(d.value as unknown as TraceEvent[]));
      });
      await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
      await new Promise((r) => setTimeout(r, ms));
      await cdp.send('Tracing.end');
      await done;
      return TaskDurations.fromTrace(events, ms);
    },
    profile: async (ms, moduleAt) => {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
      await new Promise((r) => setTimeout(r, ms));
      const { profile } = await cdp.send('Profiler.stop');
      return { ...summariseProfile(profile as CpuProfile, ms, moduleAt), raw: profile };
    },
    close: () => browser.close(),
  };
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}
export interface CpuProfileSummary {
  totalMs: number;
  busyMs: number;
  /** [function, self ms], largest first. */
  byFunction: Array<[string, number]>;
  /** [function, ms with it on the stack], largest first. */
  inclusive: Array<[string, number]>;
  /** [module (a package, or one of the app's files), self ms], largest first, when moduleAt was given. */
  byModule: Array<[string, number]>;
  /** The profile itself, as DevTools opens it (a .cpuprofile file). */
  raw?: unknown;
}
/** Which module (package or source file) a script's line belongs to. */
export type ModuleAt = (url: string, line: number) => string | undefined;
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** Self and inclusive time per function name (with its line, as names repeat) from a CPU profile. */
export function summariseProfile(p: CpuProfile, totalMs: number, moduleAt?: ModuleAt): CpuProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return f.url ? `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}` : f.functionName;
  };
  const self = new Map<string, number>();
  const mod = new Map<string, number>();
  const incl = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const name = label(id);
    self.set(name, (self.get(name) ?? 0) + ms);
    if (name !== '(idle)') busy += ms;
    if (IDLE.has(name)) return;
    const f = byId.get(id)!.callFrame;
    const m = (f.url && moduleAt?.(f.url, f.lineNumber + 1)) || f.functionName || '(native)';
    if (moduleAt) mod.set(m, (mod.get(m) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(at);
      if (!seen.has(l)) incl.set(l, (incl.get(l) ?? 0) + ms);
      seen.add(l);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, busyMs: busy, byFunction: sorted(self), inclusive: sorted(incl), byModule: sorted(mod) };
}

/** The p-th percentile of xs. */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Frame intervals as counted in the page: 0.1 ms buckets below 1 s, and the rare longer ones. */
export class FrameHistogram {
  readonly count: number;
  constructor(
    private readonly buckets: number[],
    private readonly over: number[],
  ) {
    this.count = buckets.reduce((a, b) => a + b, 0) + over.length;
  }
  percentile(p: number): number {
    const rank = Math.min(this.count - 1, Math.floor((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen > rank) return i / 10;
    }
    return [...this.over].sort((a, b) => a - b)[rank - seen] ?? 1000;
  }
  max(): number {
    if (this.over.length) return Math.max(...this.over);
    for (let i = this.buckets.length - 1; i >= 0; i--) if (this.buckets[i]) return i / 10;
    return 0;
  }
  /** Share of frames longer than one 60 Hz frame (16.7 ms, with half a millisecond of jitter allowed). */
  overFrameShare(): number {
    const late = this.buckets.slice(172).reduce((a, b) => a + b, 0) + this.over.length;
    return this.count ? late / this.count : 0;
  }
  summary(): string {
    return `p50 ${this.percentile(50).toFixed(1)} ms, p95 ${this.percentile(95).toFixed(1)} ms, p99 ${this.percentile(99).toFixed(1)} ms, max ${this.max().toFixed(0)} ms over ${this.count} frames; over 16.7 ms: ${(this.overFrameShare() * 100).toFixed(2)}%`;
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** What Chromium calls a task of a thread's loop in its trace (the name changed across versions). */
const TASK_EVENTS = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** Durations of the main thread's tasks in a trace: every update, every frame's work, every GC. */
export class TaskDurations {
  constructor(
    readonly ms: number[],
    private readonly spanMs: number,
    /** Inside the tasks over 16 ms: time per trace event name (nested events counted in each). */
    readonly longTaskParts: Array<[string, number]> = [],
  ) {}
  static fromTrace(events: TraceEvent[], spanMs: number): TaskDurations {
    // The page's renderer main thread: of the CrRendererMain threads (a spare renderer may idle
    // beside it), the one that ran the most tasks.
    const mains = new Set(
      events
        .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
        .map((e) => `${e.pid}/${e.tid}`),
    );
    const byThread = new Map<string, TraceEvent[]>();
    for (const e of events) {
      const thread = `${e.pid}/${e.tid}`;
      if (e.ph !== 'X' || !TASK_EVENTS.has(e.name) || e.dur === undefined || !mains.has(thread)) continue;
      const list = byThread.get(thread) ?? [];
      if (!list.length) byThread.set(thread, list);
      list.push(e);
    }
    const busiest = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    const long = busiest.filter((t) => t.dur! > 16_000);
    const parts = new Map<string, number>();
    const thread = busiest[0] && `${busiest[0].pid}/${busiest[0].tid}`;
    for (const e of events) {
      if (e.ph !== 'X' || e.dur === undefined || TASK_EVENTS.has(e.name) || `${e.pid}/${e.tid}` !== thread) continue;
      if (long.some((t) => e.ts >= t.ts && e.ts < t.ts + t.dur!))
        parts.set(e.name, (parts.get(e.name) ?? 0) + e.dur / 1000);
    }
    return new TaskDurations(
      busiest.map((t) => t.dur! / 1000),
      spanMs,
      [...parts].sort((a, b) => b[1] - a[1]),
    );
  }
  summary(): string {
    if (!this.ms.length) return 'no main-thread tasks traced';
    const busy = this.ms.reduce((a, b) => a + b, 0);
    const over = this.ms.filter((d) => d > 16).length;
    return `${this.ms.length} tasks in ${(this.spanMs / 1000).toFixed(0)} s, p50 ${pct(this.ms, 50).toFixed(2)} ms, p99 ${pct(this.ms, 99).toFixed(1)} ms, max ${Math.max(...this.ms).toFixed(1)} ms; over 16 ms: ${over} (${((over / this.ms.length) * 100).toFixed(2)}%); main thread busy ${((busy / this.spanMs) * 100).toFixed(1)}% of the time`;
  }
}
