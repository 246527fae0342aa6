// The scaling curve: the capacity sweep repeated at each value of one topology field (applied
// between sweeps), the knees' throughput fitted to the Universal Scalability Law and to Amdahl's
// law, the resource that limited each knee, and, given a target, the instances it needs.
import {
  CURVE_FIELDS,
  type CurvePoint,
  type CurveRequest,
  type CurveResult,
  type SweepRequest,
  type SweepResult,
} from '../../contract/capacity.js';
import type { TopologyRequest } from '../../contract/lab-api.js';
import type { ApplyResult } from '../../contract/stack.js';
import { LabError } from '../runtime/errors.js';
import { planHeadroom } from './headroom.js';
import { FitError, fitScaling, type ScalingFit } from './usl.js';

/** Below this R² a fit is reported but not planned from. */
export const MIN_R2 = 0.8;

export { CURVE_FIELDS };

export interface CurveDeps {
  apply: (req: TopologyRequest) => Promise<ApplyResult>;
  sweep: (req: SweepRequest) => Promise<SweepResult>;
  hostCores: number;
  /** Keeps the curve as it stands: called after each point, at the end, and on failure. */
  save?: (curve: CurveResult) => void;
  id?: string;
  now?: () => number;
}

export async function runCurve(
  deps: CurveDeps,
  req: CurveRequest,
  say: (message: string) => void,
): Promise<CurveResult> {
  const { across, target: _target, headroom: _headroom, ...sweepReq } = req;
  if (!(CURVE_FIELDS as readonly string[]).includes(across.field))
    throw new LabError(`--across ${across.field}: a curve runs across ${CURVE_FIELDS.join(', ')}`, 'BAD_INPUT');
  if (across.values.length < 2 || new Set(across.values).size !== across.values.length)
    throw new LabError('--across needs two or more different values, e.g. api.instances=1,2,3,4', 'BAD_INPUT');
  const now = deps.now ?? Date.now;
  const head = { id: deps.id ?? 'unsaved', request: req, startedAt: now(), hostCores: deps.hostCores };
  const points: CurvePoint[] = [];
  const save = (endedAt: number | null, error: string | null) => {
    const c = curveOf(head, points, endedAt, error);
    deps.save?.(c);
    return c;
  };
  try {
    for (const value of across.values) {
      say(`${across.field} = ${value}: applying`);
      await deps.apply({ set: { [across.field]: value } });
      const sweep = await deps.sweep(sweepReq);
      points.push({ value, sweep, throughput: sweep.knee?.achieved ?? null });
      say(`${across.field} = ${value}: knee ${sweep.knee ? `${sweep.knee.rate}/s` : 'none'}`);
      save(null, null);
    }
  } catch (err) {
    // What was measured stays: the curve is saved with the reason it stopped, then the error goes on.
    if (points.length) save(now(), (err as Error).message);
    throw err;
  }
  return save(now(), null);
}

/** The curve as far as its points go: the knees fitted, each knee's limit, the plan. Pure. */
export function curveOf(
  head: Pick<CurveResult, 'id' | 'request' | 'startedAt' | 'hostCores'>,
  points: CurvePoint[],
  endedAt: number | null,
  error: string | null,
): CurveResult {
  const { target, headroom } = head.request;
  const measured = points.flatMap((p) => (p.throughput === null ? [] : [{ n: p.value, x: p.throughput }]));
  const fit = (model: 'usl' | 'amdahl'): ScalingFit | string => {
    try {
      return fitScaling(measured, model);
    } catch (err) {
      if (err instanceof FitError) return err.message;
      throw err;
    }
  };
  const usl = fit('usl');
  const amdahl = fit('amdahl');
  const uslFit = typeof usl === 'string' ? null : usl;
  return {
    ...head,
    endedAt,
    error,
    field: head.request.across.field,
    points: [...points],
    usl: uslFit,
    amdahl: typeof amdahl === 'string' ? null : amdahl,
    fitNote:
      typeof usl === 'string'
        ? usl
        : usl.r2 < MIN_R2
          ? `the fit explains ${Math.max(0, usl.r2 * 100).toFixed(0)}% of the throughput's variation: the knees do not follow the law here (see what limited each), so nothing is planned from it`
          : null,
    limitedBy: points.map((p) => (p.sweep.knee?.busiest ? { value: p.value, ...p.sweep.knee.busiest } : null)),
    // A fit that explains little of the throughput is no basis for a plan.
    headroom: uslFit && target && uslFit.r2 >= MIN_R2 ? planHeadroom(uslFit, target, headroom ?? 0.5) : null,
  };
}
