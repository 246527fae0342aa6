// The report as one self-contained HTML file. Recharts 3 draws nothing under server rendering
// (recharts/recharts#5997), so the tree is rendered for real into happy-dom's DOM and its markup
// taken once it settles. Hosts (CLI, bridge, Electron main) call this in Node; nothing here
// touches the network, and the file's CSP forbids every fetch, so it opens offline anywhere.
import { Window } from 'happy-dom';
import type { ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { renderToStaticMarkup } from 'react-dom/server';
import type { CurveReportModel } from '../../contract/capacity.js';
import type { HandoutModel, ReportModel } from '../../contract/reports.js';
import { CurveDocument, curveTitle } from './CurveDocument.js';
import { HandoutDocument, handoutTitle } from './HandoutDocument.js';
import { ReportDocument, reportTitle } from './ReportDocument.js';
import { HANDOUT_CSS, REPORT_CSS } from './report-styles.js';

const GLOBALS = [
  'window',
  'document',
  'navigator',
  'HTMLElement',
  'Element',
  'Node',
  'SVGElement',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'MutationObserver',
] as const;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

let queue: Promise<unknown> = Promise.resolve();

/** React and Recharts look for a global document: lend them happy-dom's while one report renders
 *  (renders are queued, never overlapping), then put back what was there. */
async function withDom<T>(fn: (win: Window) => Promise<T>): Promise<T> {
  const g = globalThis as Record<string, unknown>;
  const win = new Window({
    width: 1280,
    height: 900,
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true },
  });
  const saved = GLOBALS.map((k) => [k, Object.getOwnPropertyDescriptor(g, k)] as const);
  for (const k of GLOBALS)
    Object.defineProperty(g, k, {
      value: k === 'window' ? win : (win as unknown as Record<string, unknown>)[k],
      configurable: true,
      writable: true,
    });
  try {
    return await fn(win);
  } finally {
    for (const [k, d] of saved)
      if (d) Object.defineProperty(g, k, d);
      else delete g[k];
    await win.happyDOM.close();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 5));

export function renderReportHtml(model: ReportModel): Promise<string> {
  return renderWithCharts(<ReportDocument model={model} />, reportTitle(model), model.appVersion);
}

export function renderCurveHtml(model: CurveReportModel): Promise<string> {
  return renderWithCharts(<CurveDocument model={model} />, curveTitle(model), model.appVersion);
}

/** A tree with Recharts charts, rendered for real into the lent DOM, its markup taken once settled. */
function renderWithCharts(tree: ReactElement, title: string, appVersion: string): Promise<string> {
  const run = queue.then(() =>
    withDom(async (win) => {
      const el = win.document.createElement('div');
      win.document.body.appendChild(el);
      const root = createRoot(el as unknown as HTMLElement);
      root.render(tree);
      // Recharts measures, then draws in effects: wait until the markup stops changing.
      let last = '';
      let stable = 0;
      for (let i = 0; i < 400 && stable < 3; i++) {
        await tick();
        const now = el.innerHTML;
        stable = now === last && now.length > 0 ? stable + 1 : 0;
        last = now;
      }
      root.unmount();
      // Let React finish the unmount while the DOM is still lent (its scheduler reads window.event).
      for (let i = 0; i < 5; i++) await tick();
      return page(title, appVersion, REPORT_CSS, last);
    }),
  );
  queue = run.catch(() => undefined);
  return run;
}

/** A self-contained page: its CSP forbids every fetch, so it opens (and prints) offline anywhere. */
function page(title: string, appVersion: string, css: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="ScaleLab ${escapeHtml(appVersion)}">` +
    `<title>${escapeHtml(title)}</title><style>${css}</style></head>\n<body>${body}</body></html>\n`
  );
}

/** A chapter's handout: text only (no chart), so plain server rendering does, with no DOM lent. */
export async function renderHandoutHtml(model: HandoutModel): Promise<string> {
  return page(
    handoutTitle(model.chapter),
    model.appVersion,
    REPORT_CSS + HANDOUT_CSS,
    renderToStaticMarkup(<HandoutDocument model={model} />),
  );
}
