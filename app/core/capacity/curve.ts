// The scaling curve: the capacity sweep repeated at each value of one topology field (applied
// between sweeps), the knees' throughput fitted to the Universal Scalability Law and to Amdahl's
// law, the resource that limited each knee, and, given a target, the instances it needs.
import type { CurveRequest, CurveResult, SweepRequest, SweepResult } from '../../contract/capacity.js';
import type { TopologyRequest } from '../../contract/lab-api.js';
import type { ApplyResult } from '../../contract/stack.js';
import { LabError } from '../runtime/errors.js';
import { planHeadroom } from './headroom.js';
import { FitError, fitScaling, type ScalingFit } from './usl.js';

/** The fields a curve may run across: each a count the stack scales by. */
/** Below this R² a fit is reported but not planned from. */
export const MIN_R2 = 0.8;

export const CURVE_FIELDS = ['api.instances', 'api.cpus', 'database.replicas'] as const;

export async function runCurve(
  deps: {
    apply: (req: TopologyRequest) => Promise<ApplyResult>;
    sweep: (req: SweepRequest) => Promise<SweepResult>;
    hostCores: number;
  },
  req: CurveRequest,
  say: (message: string) => void,
): Promise<CurveResult> {
  const { across, target, headroom, ...sweepReq } = req;
  if (!(CURVE_FIELDS as readonly string[]).includes(across.field))
    throw new LabError(`--across ${across.field}: a curve runs across ${CURVE_FIELDS.join(', ')}`, 'BAD_INPUT');
  if (across.values.length < 2 || new Set(across.values).size !== across.values.length)
    throw new LabError('--across needs two or more different values, e.g. api.instances=1,2,3,4', 'BAD_INPUT');
  const points: CurveResult['points'] = [];
  for (const value of across.values) {
    say(`${across.field} = ${value}: applying`);
    await deps.apply({ set: { [across.field]: value } });
    const sweep = await deps.sweep(sweepReq);
    points.push({ value, sweep, throughput: sweep.knee?.achieved ?? null });
    say(`${across.field} = ${value}: knee ${sweep.knee ? `${sweep.knee.rate}/s` : 'none'}`);
  }
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
    field: across.field,
    points,
    usl: uslFit,
    amdahl: typeof amdahl === 'string' ? null : amdahl,
    fitNote:
      typeof usl === 'string'
        ? usl
        : usl.r2 < MIN_R2
          ? `the fit explains ${Math.max(0, usl.r2 * 100).toFixed(0)}% of the throughput's variation: the knees do not follow the law here (see what limited each), so nothing is planned from it`
          : null,
    limitedBy: points.map((p) => (p.sweep.knee?.busiest ? { value: p.value, ...p.sweep.knee.busiest } : null)),
    hostCores: deps.hostCores,
    // A fit that explains little of the throughput is no basis for a plan.
    headroom: uslFit && target && uslFit.r2 >= MIN_R2 ? planHeadroom(uslFit, target, headroom ?? 0.5) : null,
  };
}
