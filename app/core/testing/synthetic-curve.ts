// A scaling curve measured on a stand-in: each sweep's knee follows a known Universal Scalability
// Law, so tests of what shows a curve (reports, the CLI, the console) know what it must say.
import type { SweepResult, SweepStep } from '../../contract/capacity.js';
import { runCurve } from '../capacity/curve.js';
import { CurveStore } from '../capacity/curve-store.js';
import { predict } from '../capacity/usl.js';

export const CURVE_LAW = { lambda: 150, sigma: 0.1, kappa: 0.02 };
export const CURVE_VALUES = [1, 2, 3, 4, 6];

/** A sweep whose knee follows the law at n: three steps, the last broken. */
function sweepAt(n: number): SweepResult {
  const x = predict(CURVE_LAW, n);
  const step = (rate: number, p95: number, held: boolean) =>
    ({
      rate,
      achieved: Math.min(rate, x),
      p95,
      objectiveMet: held,
      busiest: { service: 'api-1', cpu: 95 },
    }) as SweepStep;
  const steps = [
    step(Math.round(x / 2), 20, true),
    step(Math.round(x), 60, true),
    step(Math.round(x * 1.5), 900, false),
  ];
  return { runId: `run-${n}`, objective: 'p(95)<100', maxErrors: 0.01, steps, knee: steps[1]!, limit: 'objective' };
}

/** Saves such a curve across api.instances = CURVE_VALUES, planning 200/s at 50% headroom, in `home`. */
export async function saveSyntheticCurve(home: string): Promise<CurveStore> {
  const curves = new CurveStore(home);
  let current = 0;
  await runCurve(
    {
      apply: async (req) => ((current = Number(Object.values(req.set!)[0])), {}) as never,
      sweep: async () => sweepAt(current),
      hostCores: 2,
      id: curves.newId(),
      save: (c) => curves.save(c),
    },
    {
      workload: 'cpu-bound',
      objective: 'p(95)<100',
      across: { field: 'api.instances', values: CURVE_VALUES },
      target: 200,
      headroom: 0.5,
    },
    () => undefined,
  );
  return curves;
}
