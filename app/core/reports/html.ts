// The HTML renderer is the console's own React components (app/renderer/report), which core may
// not import: hosts name the module (LabConfig.reportRenderer) and core loads it. Each report
// renders in a worker thread of its own, because rendering lends React a global DOM (happy-dom)
// for a while, and the host's own process (collectors, the bridge) must never see one.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CurveReportModel } from '../../contract/capacity.js';
import type { HandoutModel, ReportModel } from '../../contract/reports.js';
import { LabError } from '../runtime/errors.js';
import { importInThread } from '../tsx-threads.js';

export type ReportHtmlRenderer = (model: ReportModel) => Promise<string>;
export type HandoutHtmlRenderer = (model: HandoutModel) => Promise<string>;
export type CurveHtmlRenderer = (model: CurveReportModel) => Promise<string>;

/** What the renderer module exports, by the document each draws. */
const EXPORTS = { report: 'renderReportHtml', handout: 'renderHandoutHtml', curve: 'renderCurveHtml' } as const;

const RENDER_TIMEOUT_MS = 120_000;

export function htmlRendererFrom(modulePath: string): () => Promise<ReportHtmlRenderer> {
  return async () => renderInThread(modulePath, 'report');
}

export function handoutRendererFrom(modulePath: string): () => Promise<HandoutHtmlRenderer> {
  return async () => renderInThread(modulePath, 'handout');
}

export function curveRendererFrom(modulePath: string): () => Promise<CurveHtmlRenderer> {
  return async () => renderInThread(modulePath, 'curve');
}

function renderInThread(modulePath: string, doc: 'report'): ReportHtmlRenderer;
function renderInThread(modulePath: string, doc: 'curve'): CurveHtmlRenderer;
function renderInThread(modulePath: string, doc: 'handout'): HandoutHtmlRenderer;
function renderInThread(modulePath: string, doc: keyof typeof EXPORTS): (model: object) => Promise<string> {
  if (!existsSync(modulePath)) {
    throw new LabError(
      `The report renderer is missing: ${modulePath}.`,
      'REPORT_RENDERER',
      'Set SCALELAB_REPORT_RENDERER to the built render-report-html module, or run from a ScaleLab checkout.',
    );
  }
  const boot = `const { parentPort, workerData } = require('node:worker_threads');
      ${importInThread(pathToFileURL(modulePath).href)}
        .then((m) => m.${EXPORTS[doc]}(workerData))
        .then((html) => parentPort.postMessage({ html }), (err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));`;
  return (model) =>
    new Promise<string>((resolve, reject) => {
      const worker = new Worker(boot, { eval: true, workerData: model });
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(
          new LabError(`The HTML report took over ${RENDER_TIMEOUT_MS / 1000} s and was given up.`, 'REPORT_RENDERER'),
        );
      }, RENDER_TIMEOUT_MS);
      const fail = (why: string) =>
        reject(new LabError(`The HTML report could not be rendered: ${why}`, 'REPORT_RENDERER'));
      worker.once('message', (m: { html?: string; error?: string }) => {
        clearTimeout(timer);
        void worker.terminate();
        if (typeof m.html === 'string') resolve(m.html);
        else fail(m.error ?? 'no output');
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        fail(err.message);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        if (code !== 0) fail(`its thread exited with code ${code}`);
      });
    });
}
