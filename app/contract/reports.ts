// Reports and exports: a run (or two compared) as HTML, PDF, CSV, JSON or a k6-style summary; the
// stack as files to take home (compose, Prometheus + Grafana). Built from run folders alone.
import type { Chapter } from './course.js';
import type { RunComparison, RunEvent, RunRecord, TimelinePoint } from './runs.js';

export type ReportFormat = 'html' | 'pdf' | 'csv' | 'json' | 'k6-summary';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'pdf', 'csv', 'json', 'k6-summary'];

export type StackExportKind = 'compose' | 'grafana' | 'kubernetes';
export const STACK_EXPORT_KINDS: readonly StackExportKind[] = ['compose', 'grafana', 'kubernetes'];

/** A file for the user to save: text as utf8, binary (PDF, zip) as base64. */
export interface ExportedFile {
  filename: string;
  mime: string;
  encoding: 'utf8' | 'base64';
  content: string;
  bytes: number;
}

/** One figure of the summary table. */
export interface ReportFigure {
  key: string;
  label: string;
  value: number | null;
  unit: string;
}

export interface ReportRun {
  run: RunRecord;
  timeline: TimelinePoint[];
  events: RunEvent[];
  figures: ReportFigure[];
}

/** Everything a report shows, built from run folders alone (core/reports/build-report.ts). */
export interface ReportModel {
  generatedAt: number;
  appVersion: string;
  runs: ReportRun[];
  /** Present when two runs are compared: the second run against the first. */
  comparison: RunComparison | null;
}

/** A chapter of the course, printed as a workshop handout. */
export interface HandoutModel {
  chapter: Chapter;
  appVersion: string;
  generatedAt: number;
}
