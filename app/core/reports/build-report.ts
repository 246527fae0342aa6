// From run folders to everything a report shows (pure). A run still going, or one without a
// single point, is refused: a report is of what happened, whole.
import type { ReportModel } from '../../contract/reports.js';
import type { RunData } from '../../contract/runs.js';
import { LabError } from '../runtime/errors.js';
import { compareRuns, runFigures } from '../runs/compare-runs.js';

export function checkReportable(d: RunData): void {
  if (d.run.status === 'running') {
    throw new LabError(
      `Run ${d.run.id} is still going.`,
      'RUN_LIVE',
      'Stop it (or wait for it to end), then make the report.',
    );
  }
  if (!d.timeline.length) {
    throw new LabError(
      `Run ${d.run.id} has no points: nothing was measured, so there is nothing to report.`,
      'RUN_EMPTY',
    );
  }
  d.timeline.forEach((p, i) => {
    if (typeof p?.t !== 'number' || typeof p.v !== 'object' || p.v === null) {
      throw new LabError(
        `Run ${d.run.id} is damaged: timeline.ndjson line ${i + 1} is not a point ({ t, v }).`,
        'RUN_CORRUPT',
      );
    }
  });
}

export function buildReport(runs: RunData[], appVersion: string, now = Date.now()): ReportModel {
  if (runs.length < 1 || runs.length > 2)
    throw new LabError('A report is of one run, or of two compared.', 'BAD_INPUT');
  runs.forEach(checkReportable);
  return {
    generatedAt: now,
    appVersion,
    runs: runs.map((d) => ({ run: d.run, timeline: d.timeline, events: d.events, figures: runFigures(d) })),
    comparison: runs.length === 2 ? compareRuns(runs[0], runs[1]) : null,
  };
}
