// Headroom planning from a scaling fit (the guide's "keep 50-70% headroom"): how many instances a
// target load needs when each may run at only (1 − headroom) of its capacity, stated with the
// fit's uncertainty (the throughput it predicts, ± twice its standard error by the delta method).
// Pure.
import type { HeadroomPlan, ScalingFit } from '../../contract/capacity.js';
import { predict } from './usl.js';

/** Standard error of the predicted throughput at n (delta method on λ, σ, κ, taken independent:
 *  the fit's off-diagonal covariance left out, which errs wide). */
export function predictionError(f: ScalingFit, n: number): number {
  if (!f.stdErr) return 0;
  const d = 1 + f.sigma * (n - 1) + f.kappa * n * (n - 1);
  const dl = n / d;
  const ds = (-f.lambda * n * (n - 1)) / (d * d);
  const dk = (-f.lambda * n * n * (n - 1)) / (d * d);
  return Math.sqrt((dl * f.stdErr.lambda) ** 2 + (ds * f.stdErr.sigma) ** 2 + (dk * f.stdErr.kappa) ** 2);
}

export function planHeadroom(f: ScalingFit, target: number, headroom: number, maxN = 64): HeadroomPlan {
  const usable = 1 - headroom;
  const fewest = (shift: number) => {
    for (let n = 1; n <= maxN; n++) if ((predict(f, n) + shift * predictionError(f, n)) * usable >= target) return n;
    return null;
  };
  const instances = fewest(0);
  return {
    target,
    headroom,
    instances,
    optimistic: fewest(2),
    pessimistic: fewest(-2),
    predicted: instances === null ? null : predict(f, instances),
  };
}
