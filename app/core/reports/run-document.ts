// The run folder as one JSON document (run.json + timeline + events), and back: what a user
// keeps or hands to another tool. parseRunDocument checks the shape so a damaged file says so.
import { z } from 'zod';
import type { ReportModel } from '../../contract/reports.js';
import type { RunEvent, RunRecord, TimelinePoint } from '../../contract/runs.js';
import { LabError } from '../runtime/errors.js';

export const RUN_DOCUMENT_FORMAT = 'scalelab.run/v1';

export interface RunDocument {
  format: typeof RUN_DOCUMENT_FORMAT;
  run: RunRecord;
  timeline: TimelinePoint[];
  events: RunEvent[];
}

const documentSchema = z.object({
  format: z.literal(RUN_DOCUMENT_FORMAT),
  run: z.looseObject({
    id: z.string(),
    status: z.string(),
    createdAt: z.number(),
    workload: z.looseObject({ name: z.string() }),
  }),
  timeline: z.array(z.object({ t: z.number(), v: z.record(z.string(), z.number().nullable()) })),
  events: z.array(z.looseObject({ t: z.number(), kind: z.string(), label: z.string() })),
});

export function runDocuments(
  model: ReportModel,
): RunDocument | { format: 'scalelab.comparison/v1'; runs: RunDocument[]; comparison: ReportModel['comparison'] } {
  const docs = model.runs.map((r): RunDocument => ({
    format: RUN_DOCUMENT_FORMAT,
    run: r.run,
    timeline: r.timeline,
    events: r.events,
  }));
  return model.comparison ? { format: 'scalelab.comparison/v1', runs: docs, comparison: model.comparison } : docs[0];
}

export function parseRunDocument(text: string): RunDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LabError(`Not a ScaleLab run document: ${(err as Error).message}.`, 'BAD_INPUT');
  }
  const r = documentSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new LabError(
      `Not a ScaleLab run document: ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
      'BAD_INPUT',
    );
  }
  return r.data as unknown as RunDocument;
}
