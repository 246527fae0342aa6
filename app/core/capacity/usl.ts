// The Universal Scalability Law (Gunther): X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted by least
// squares (Levenberg-Marquardt, ml-levenberg-marquardt) to measured throughput at N instances or
// CPUs. σ is contention (the serial share: Amdahl's law when κ = 0), κ coherency (the cost of
// keeping N copies in agreement, which makes throughput fall past a peak). Pure: no I/O.
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { inverse, Matrix } from 'ml-matrix';
import { scalingAt, type ScalingFit, type ScalingPoint } from '../../contract/capacity.js';

export type { ScalingFit, ScalingPoint };

export class FitError extends Error {}

const usl =
  ([l, s, k]: number[]) =>
  (n: number) =>
    (l * n) / (1 + s * (n - 1) + k * n * (n - 1));
const uslJacobian =
  ([l, s, k]: number[]) =>
  (n: number) => {
    const d = 1 + s * (n - 1) + k * n * (n - 1);
    return [n / d, (-l * n * (n - 1)) / (d * d), (-l * n * n * (n - 1)) / (d * d)];
  };

/** Fits the USL (three parameters) or Amdahl's law (κ held at 0, two): at least as many points at
 *  distinct N as parameters, or a FitError saying so. */
export function fitScaling(points: ScalingPoint[], model: 'usl' | 'amdahl' = 'usl'): ScalingFit {
  const params = model === 'usl' ? 3 : 2;
  const distinct = new Set(points.map((p) => p.n)).size;
  if (distinct < params)
    throw new FitError(
      `${model === 'usl' ? 'The USL has three parameters' : "Amdahl's law has two"}: it needs throughput at ${params} or more different N, and has ${distinct}.`,
    );
  if (points.some((p) => !(p.n >= 1) || !(p.x > 0)))
    throw new FitError('Every point needs N of 1 or more and a throughput above 0.');
  // Fitted on throughput scaled to its largest value: λ, σ and κ then have like magnitudes.
  const scale = Math.max(...points.map((p) => p.x));
  const first = points.reduce((a, b) => (b.n < a.n ? b : a));
  const fn = model === 'usl' ? usl : ([l, s]: number[]) => usl([l, s, 0]);
  const jac =
    model === 'usl'
      ? uslJacobian
      : ([l, s]: number[]) =>
          (n: number) =>
            uslJacobian([l, s, 0])(n).slice(0, 2);
  const data = { x: points.map((p) => p.n), y: points.map((p) => p.x / scale) };
  const start = [first.x / scale / first.n, 0.05, 0.001].slice(0, params);
  const res = levenbergMarquardt(data, fn, {
    initialValues: start,
    minValues: [1e-9, 0, 0].slice(0, params),
    maxValues: [1e6, 1, 1].slice(0, params),
    jacobianFunction: jac,
    damping: 1e-2,
    maxIterations: 500,
    errorTolerance: 1e-12,
  });
  const [l, s, k = 0] = res.parameterValues;
  const predicted = points.map((p) => usl([l!, s!, k])(p.n) * scale);
  const mean = points.reduce((a, p) => a + p.x, 0) / points.length;
  const ssRes = points.reduce((a, p, i) => a + (p.x - predicted[i]!) ** 2, 0);
  const ssTot = points.reduce((a, p) => a + (p.x - mean) ** 2, 0);
  const se = standardErrors(points, [l!, s!, k].slice(0, params), jac, ssRes / scale ** 2);
  return {
    model,
    lambda: l! * scale,
    sigma: s!,
    kappa: k,
    stdErr: se && { lambda: se[0]! * scale, sigma: se[1]!, kappa: se[2] ?? 0 },
    r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
    peakN: k > 0 ? Math.sqrt((1 - s!) / k) : null,
  };
}

/** Throughput the fit predicts at n. */
export const predict = scalingAt;

/** √diag(s²(JᵀJ)⁻¹), s² = SSres/(points − parameters): null with no degree of freedom or a
 *  singular JᵀJ (a parameter the points do not constrain). */
function standardErrors(
  points: ScalingPoint[],
  theta: number[],
  jac: (p: number[]) => (n: number) => number[],
  ssRes: number,
): number[] | null {
  const dof = points.length - theta.length;
  if (dof <= 0) return null;
  const j = new Matrix(points.map((p) => jac(theta)(p.n)));
  try {
    const cov = inverse(j.transpose().mmul(j)).mul(ssRes / dof);
    return theta.map((_, i) => Math.sqrt(Math.max(0, cov.get(i, i))));
  } catch {
    return null;
  }
}
