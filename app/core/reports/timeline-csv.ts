// The timeline as CSV: one row per second, one column per series (every series any second has,
// sorted), empty where a second has no value. Two runs compared: one column per run and series.
import type { ReportModel } from '../../contract/reports.js';
import type { TimelinePoint } from '../../contract/runs.js';

/** RFC 4180: quote a field holding a comma, quote or newline. */
const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const cell = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

export function seriesKeys(points: TimelinePoint[]): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.v)) keys.add(k);
  return [...keys].sort();
}

export function timelineCsv(model: ReportModel): string {
  if (model.comparison) {
    const [a, b] = model.runs;
    const keys = seriesKeys([...a.timeline, ...b.timeline]);
    const header = ['second', ...keys.map((k) => `A:${k}`), ...keys.map((k) => `B:${k}`)];
    const rows = model.comparison.aligned.map((r) => [
      String(r.second),
      ...keys.map((k) => cell(r.a[k])),
      ...keys.map((k) => cell(r.b[k])),
    ]);
    return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
  }
  const { timeline } = model.runs[0];
  const keys = seriesKeys(timeline);
  const t0 = timeline[0].t;
  const header = ['time', 'second', ...keys];
  const rows = timeline.map((p) => [
    new Date(p.t).toISOString(),
    String(Math.round((p.t - t0) / 1000)),
    ...keys.map((k) => cell(p.v[k])),
  ]);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}
