// The HTML renderer is the console's own React components (app/renderer/report), which core may
// not import: hosts name the module (LabConfig.reportRenderer) and core loads it when a report is
// first asked for, so a CLI that never makes one never loads React.
import { pathToFileURL } from 'node:url';
import type { ReportModel } from '../../contract/reports.js';
import { LabError } from '../runtime/errors.js';

export type ReportHtmlRenderer = (model: ReportModel) => Promise<string>;

export function htmlRendererFrom(modulePath: string): () => Promise<ReportHtmlRenderer> {
  let loaded: Promise<ReportHtmlRenderer> | undefined;
  return () => (loaded ??= import(pathToFileURL(modulePath).href).then((m: { renderReportHtml?: ReportHtmlRenderer }) => {
    if (typeof m.renderReportHtml !== 'function') throw new Error('it exports no renderReportHtml');
    return m.renderReportHtml;
  }).catch((err: Error) => {
    loaded = undefined;
    throw new LabError(`The report renderer at ${modulePath} cannot be loaded: ${err.message}`, 'REPORT_RENDERER',
      'Set SCALELAB_REPORT_RENDERER to the built render-report-html module, or run from a ScaleLab checkout.');
  }));
}
