// reports.* of the Lab: a run (or two) as a file in the asked format, and the stack as files to
// take home, zipped. Everything is built in memory first, so a failure leaves no half file.
import { zipSync } from 'fflate';
import type { Chapter } from '../../contract/course.js';
import type { ReportsApi, TopologyRequest } from '../../contract/lab-api.js';
import type { ExportedFile, ReportFormat, ReportModel, StackExportKind } from '../../contract/reports.js';
import type { CurveReportModel } from '../../contract/capacity.js';
import type { CurveStore } from '../capacity/curve-store.js';
import type { RunStore } from '../runs/run-store.js';
import { LabError } from '../runtime/errors.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import type { Topology } from '../topology/schema.js';
import { buildReport } from './build-report.js';
import { composeFiles, type ExportFiles } from './compose-export.js';
import { grafanaFiles } from './grafana-export.js';
import { kubernetesFiles } from './kubernetes-export.js';
import type { CurveHtmlRenderer, HandoutHtmlRenderer, ReportHtmlRenderer } from './html.js';
import { k6Summary } from './k6-summary.js';
import type { PdfPrinter } from './pdf.js';
import { runDocuments } from './run-document.js';
import { timelineCsv } from './timeline-csv.js';

export interface ReportDeps {
  store: RunStore;
  appVersion: string;
  stackDir: string;
  /** The k6 script and the workloads (load-scripts/), for the Kubernetes export's TestRun. */
  loadScriptsDir: string;
  runtime: StackRuntime;
  renderHtml: () => Promise<ReportHtmlRenderer>;
  renderHandout: () => Promise<HandoutHtmlRenderer>;
  renderCurve: () => Promise<CurveHtmlRenderer>;
  curves: CurveStore;
  /** The course's chapters, for handouts. */
  chapters: Chapter[];
  printPdf: PdfPrinter;
  resolveTopology: (req: TopologyRequest) => Topology;
  seed?: { products: number; orders: number };
  /** Where image builds for a compose export report their progress (the console shows it). */
  onProgress?: ProgressSink;
}

const text = (filename: string, mime: string, content: string): ExportedFile => ({
  filename,
  mime,
  encoding: 'utf8',
  content,
  bytes: Buffer.byteLength(content),
});
const binary = (filename: string, mime: string, bytes: Uint8Array): ExportedFile => ({
  filename,
  mime,
  encoding: 'base64',
  content: Buffer.from(bytes).toString('base64'),
  bytes: bytes.byteLength,
});

/** `last` is the newest run of the user's own (samples shipped with the app do not count). */
export function resolveRunId(store: RunStore, id: string): string {
  if (id !== 'last') return id;
  const own = store.list().find((r) => !r.sample);
  if (!own)
    throw new LabError(
      'There is no run yet, so no "last" one.',
      'NO_SUCH_RUN',
      'Make one with `scalelab run`, or name a run: `scalelab runs` lists them.',
    );
  return own.id;
}

export function zipFiles(files: ExportFiles): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, body]) => [
        name,
        typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body),
      ]),
    ),
  );
}

export async function renderReport(
  model: ReportModel,
  format: ReportFormat,
  deps: Pick<ReportDeps, 'renderHtml' | 'printPdf'>,
): Promise<ExportedFile> {
  const base = model.comparison
    ? `scalelab-${model.runs[0].run.id}-vs-${model.runs[1].run.id}`
    : `scalelab-${model.runs[0].run.id}`;
  switch (format) {
    case 'html':
      return text(`${base}.html`, 'text/html', await (await deps.renderHtml())(model));
    case 'pdf':
      return binary(`${base}.pdf`, 'application/pdf', await deps.printPdf(await (await deps.renderHtml())(model)));
    case 'csv':
      return text(`${base}.csv`, 'text/csv', timelineCsv(model));
    case 'json':
      return text(`${base}.json`, 'application/json', `${JSON.stringify(runDocuments(model), null, 2)}\n`);
    case 'k6-summary':
      return text(`${base}-summary.json`, 'application/json', `${JSON.stringify(k6Summary(model), null, 4)}\n`);
  }
}

export async function stackFiles(
  kind: StackExportKind,
  topology: Topology,
  deps: Pick<ReportDeps, 'runtime' | 'stackDir' | 'appVersion' | 'seed' | 'loadScriptsDir'>,
  onProgress?: ProgressSink,
): Promise<ExportFiles> {
  if (kind === 'grafana') return grafanaFiles(topology, deps.appVersion);
  // The compose file names the very images the engine runs, built here when missing.
  await deps.runtime.ping();
  const images = await deps.runtime.prepareImages(topology, onProgress);
  if (kind === 'kubernetes')
    return kubernetesFiles(topology, { images, appVersion: deps.appVersion, loadScriptsDir: deps.loadScriptsDir });
  return {
    ...composeFiles(topology, { images, stackDir: deps.stackDir, appVersion: deps.appVersion, seed: deps.seed }),
    ...grafanaFiles(topology, deps.appVersion),
  };
}

export function createReportsApi(deps: ReportDeps): ReportsApi {
  return {
    async build({ run, format, compare }) {
      const ids = [run, ...(compare ? [compare] : [])].map((id) => resolveRunId(deps.store, id));
      const model = buildReport(
        ids.map((id) => deps.store.open(id, { strict: true })),
        deps.appVersion,
      );
      return renderReport(model, format, deps);
    },
    async exportStack({ kind, ...req }) {
      const files = await stackFiles(kind, deps.resolveTopology(req), deps, deps.onProgress);
      return binary(`scalelab-${kind}.zip`, 'application/zip', zipFiles(files));
    },
    async handout({ chapter, format }) {
      const found = deps.chapters.find((c) => c.id === chapter);
      if (!found)
        throw new LabError(
          `There is no chapter "${chapter}".`,
          'BAD_INPUT',
          `Chapters: ${deps.chapters.map((c) => c.id).join(', ')}.`,
        );
      const html = await (
        await deps.renderHandout()
      )({ chapter: found, appVersion: deps.appVersion, generatedAt: Date.now() });
      const base = `scalelab-chapter-${found.number}-${found.id}`;
      return format === 'html'
        ? text(`${base}.html`, 'text/html', html)
        : binary(`${base}.pdf`, 'application/pdf', await deps.printPdf(html));
    },
    async curve({ curve, format }) {
      const model = curveReportModel(deps, curve);
      const base = `scalelab-${model.curve.id}`;
      if (format === 'json') return text(`${base}.json`, 'application/json', `${JSON.stringify(model, null, 2)}\n`);
      const html = await (await deps.renderCurve())(model);
      return format === 'html'
        ? text(`${base}.html`, 'text/html', html)
        : binary(`${base}.pdf`, 'application/pdf', await deps.printPdf(html));
    },
  };
}

/** A curve and each of its sweeps' verdicts on their own measurement, from the data folder alone. */
export function curveReportModel(
  deps: Pick<ReportDeps, 'curves' | 'store' | 'appVersion'>,
  id: string,
): CurveReportModel {
  const curve = deps.curves.open(id);
  return {
    curve,
    // Each sweep's own run record, read alone: a data folder holds hundreds of runs.
    measurements: curve.points.map((p) => deps.store.record(p.sweep.runId)?.summary?.measurement ?? null),
    appVersion: deps.appVersion,
    generatedAt: Date.now(),
  };
}
