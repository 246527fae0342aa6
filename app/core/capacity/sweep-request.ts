// A sweep request checked before any load is sent: the workload named, the objective a latency
// bound (sweep-plan.ts parses it), the rates, steps and budget within bounds.
import { z } from 'zod';
import { LabError } from '../../contract/errors.js';
import type { SweepRequest } from '../../contract/capacity.js';
import { parseObjective } from './sweep-plan.js';

export const sweepRequestSchema = z.strictObject({
  workload: z.string().min(1).max(256),
  objective: z.string().min(1).max(64),
  maxErrors: z.number().min(0).max(1).optional(),
  from: z.number().min(1).max(100_000).optional(),
  factor: z.number().min(1.05).max(10).optional(),
  stepSeconds: z.number().int().min(4).max(600).optional(),
  refine: z.number().int().min(0).max(6).optional(),
  maxSteps: z.number().int().min(2).max(40).optional(),
  prediction: z.strictObject({ metric: z.literal('knee'), value: z.number().min(0).max(1e9) }).optional(),
});

export function checkSweepRequest(req: unknown): SweepRequest {
  const parsed = sweepRequestSchema.safeParse(req);
  if (!parsed.success)
    throw new LabError(
      `sweep: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`,
      'BAD_INPUT',
    );
  try {
    parseObjective(parsed.data.objective);
  } catch (err) {
    throw new LabError((err as Error).message, 'BAD_INPUT', 'A latency bound in k6\u2019s syntax: p(95)<200.');
  }
  return parsed.data;
}
