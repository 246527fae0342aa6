// A deploy request checked before anything changes: the strategy, a canary's steps (rising, ending
// at 100), the bounds of its judgement. Pure; the version's image is checked by the runtime.
import { z } from 'zod';
import { LabError } from '../../contract/errors.js';
import { DEFAULT_CANARY_STEPS, DEPLOY_STRATEGIES, type DeployRequest } from '../../contract/deploy.js';
import { API_VERSION_NAME } from '../../contract/topology.js';

export interface DeployPlan {
  version: string;
  strategy: (typeof DEPLOY_STRATEGIES)[number];
  /** The new version's share at each step; blue-green is one step of 100. */
  steps: number[];
  stepSeconds: number;
  maxP95Ratio: number;
  minP95IncreaseMs: number;
  maxErrorRateIncrease: number;
}

export const deployRequestSchema = z.strictObject({
  version: z.string().regex(API_VERSION_NAME, 'a version name: v2, v2.1, v3-beta'),
  strategy: z.enum(DEPLOY_STRATEGIES).default('rolling'),
  steps: z.array(z.number().int().min(1).max(100)).min(1).max(20).optional(),
  stepSeconds: z.number().int().min(2).max(600).default(10),
  maxP95Ratio: z.number().min(1).max(100).default(1.5),
  minP95IncreaseMs: z.number().min(0).max(10_000).default(20),
  maxErrorRateIncrease: z.number().min(0).max(1).default(0.01),
});

/** Parses "5,25,50,100" (the command line's --steps). */
export function parseSteps(text: string): number[] {
  const steps = text.split(',').map((s) => Number(s.trim()));
  if (!text.trim() || steps.some((n) => !Number.isInteger(n)))
    throw new LabError(
      `"${text}" is not a list of percentages`,
      'BAD_INPUT',
      'Whole numbers, comma-separated: 5,25,50,100.',
    );
  return steps;
}

export function planDeploy(req: DeployRequest): DeployPlan {
  const parsed = deployRequestSchema.safeParse(req);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabError(`deploy ${issue.path.join('.') || 'request'}: ${issue.message}`, 'BAD_INPUT');
  }
  const r = parsed.data;
  if (r.steps && r.strategy !== 'canary')
    throw new LabError(
      `--steps is for a canary; a ${r.strategy} deploy has no traffic steps`,
      'BAD_INPUT',
      'Add --strategy canary, or leave the steps out.',
    );
  const steps = r.strategy === 'canary' ? (r.steps ?? DEFAULT_CANARY_STEPS) : [100];
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]!))
    throw new LabError(
      `canary steps ${steps.join(',')} do not rise`,
      'BAD_INPUT',
      'Each step above the one before: 5,25,50,100.',
    );
  if (steps[steps.length - 1] !== 100)
    throw new LabError(
      `canary steps ${steps.join(',')} do not end at 100`,
      'BAD_INPUT',
      'The last step sends every request to the new version: end the list with 100.',
    );
  return { ...r, steps };
}
