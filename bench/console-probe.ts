// The console open in Debian's Chromium with probes in the page: every frame's interval, every
// long task, and the JS heap after a forced GC. Shared by bench:console and bench:long-run.
import { chromium, type Page } from 'playwright-core';

export interface ProbedConsole {
  page: Page;
  heapMb(): Promise<number>;
  /** Frame intervals and long tasks since the last reset (the first few frames dropped). */
  read(skipFrames?: number): Promise<{ frames: number[]; longTasks: number[] }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openProbedConsole(url: string): Promise<ProbedConsole> {
  const browser = await chromium.launch({ executablePath: process.env.SCALELAB_CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, bypassCSP: true }); // to inject the frame probe
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid="chart-throughput"]').waitFor();
  // The probe goes in as a string: the TypeScript runner adds helpers to functions that do not
  // exist in the page (this context bypasses the CSP for exactly this).
  await page.evaluate(`(() => {
    window.frames_ = []; window.longTasks_ = [];
    let last = performance.now();
    const tick = (now) => { window.frames_.push(now - last); last = now; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks_.push(e.duration); }).observe({ type: 'longtask', buffered: false });
  })()`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  return {
    page,
    heapMb: async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'JSHeapUsedSize')!.value / 1024 / 1024;
    },
    read: async (skipFrames = 5) => page.evaluate(`({ frames: window.frames_.slice(${skipFrames}), longTasks: window.longTasks_ })`) as Promise<{ frames: number[]; longTasks: number[] }>,
    reset: async () => { await page.evaluate('window.frames_ = []; window.longTasks_ = []'); },
    close: () => browser.close(),
  };
}

/** The p-th percentile of xs. */
export const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
