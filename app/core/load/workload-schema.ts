// Workloads (load-scripts/workloads/*.json): zod schema, loading by name or file, errors naming the field.
import { jsonProblem, LabError } from '../../contract/errors.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ENDPOINTS, type Workload as ContractWorkload } from '../../contract/load.js';
import { formatIssues } from '../topology/schema.js';
import { checkThresholdMetric, parseThreshold } from './thresholds.js';

const endpoint = z.enum(ENDPOINTS);
const rate = z.number().min(0).max(100_000);
const duration = z.number().int().min(1).max(86_400);

export const workloadSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'lower-case letters, digits and dashes'),
    description: z.string().max(500).default(''),
    mix: z
      .partialRecord(endpoint, z.number().min(0).max(1000))
      .refine((m) => Object.values(m).some((w) => (w ?? 0) > 0), 'at least one endpoint needs a weight above 0'),
    keys: z
      .strictObject({
        distribution: z.enum(['uniform', 'zipf']).default('uniform'),
        zipfExponent: z.number().min(0.1).max(3).default(1.0),
        keySpace: z.number().int().min(1).max(1_000_000).default(10_000),
      })
      .default({ distribution: 'uniform', zipfExponent: 1.0, keySpace: 10_000 }),
    rate: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('constant'), rate, durationSeconds: duration }),
      z.strictObject({
        kind: z.literal('stages'),
        startRate: rate.default(0),
        stages: z
          .array(z.strictObject({ durationSeconds: duration, targetRate: rate }))
          .min(1)
          .max(50),
      }),
    ]),
    thinkTimeMs: z.number().int().min(0).max(60_000).default(0),
    slowMs: z.number().int().min(0).max(10_000).default(50),
    clients: z.number().int().min(1).max(10_000).optional(),
    noisyShare: z.number().min(0).max(0.95).optional(),
    tls: z.boolean().optional(),
    keepAlive: z.boolean().optional(),
    thresholds: z.record(z.string(), z.array(z.string()).max(10)).default({}),
  })
  .superRefine((w, ctx) => {
    if (w.noisyShare !== undefined && (w.clients ?? 0) < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['noisyShare'],
        message: 'a noisy client needs others beside it: set clients to 2 or more',
      });
    for (const [metric, list] of Object.entries(w.thresholds)) {
      list.forEach((expr, i) => {
        try {
          checkThresholdMetric(metric, parseThreshold(expr));
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['thresholds', metric, i], message: (err as Error).message });
        }
      });
    }
  });

export type Workload = z.output<typeof workloadSchema>;

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const WORKLOAD_MATCHES_CONTRACT: Same<Workload, ContractWorkload> = true;

export class WorkloadError extends LabError {
  constructor(
    readonly issues: string[],
    where = 'workload',
  ) {
    super(`invalid ${where}: ${issues.join('; ')}`, 'BAD_INPUT');
    this.name = 'WorkloadError';
  }
}

export function parseWorkload(input: unknown, where?: string): Workload {
  const res = workloadSchema.safeParse(input);
  if (!res.success) throw new WorkloadError(formatIssues(res.error), where);
  return res.data;
}

/** Total duration of a workload's rate profile, in seconds. */
export function workloadDuration(w: Workload): number {
  return w.rate.kind === 'constant'
    ? w.rate.durationSeconds
    : w.rate.stages.reduce((s, st) => s + st.durationSeconds, 0);
}

/** Target arrival rate at `seconds` after the start: stages ramp linearly from the previous target. */
export function targetRateAt(w: Workload, seconds: number): number {
  if (w.rate.kind === 'constant') return seconds < w.rate.durationSeconds ? w.rate.rate : 0;
  let from = w.rate.startRate;
  let t = seconds;
  for (const st of w.rate.stages) {
    if (t < st.durationSeconds) return from + ((st.targetRate - from) * t) / st.durationSeconds;
    t -= st.durationSeconds;
    from = st.targetRate;
  }
  return 0;
}

export function listWorkloads(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A workload by name (from the shipped folder) or by path to a JSON file. */
export function loadWorkload(nameOrFile: string, dir: string): Workload {
  const isFile = nameOrFile.endsWith('.json') || nameOrFile.includes('/');
  const file = isFile ? nameOrFile : path.join(dir, `${nameOrFile}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new WorkloadError([
      isFile ? `cannot read ${file}` : `no workload "${nameOrFile}": one of ${listWorkloads(dir).join(', ')}`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WorkloadError([`${file} is ${jsonProblem(err)}`]);
  }
  return parseWorkload(json, `workload ${file}`);
}
