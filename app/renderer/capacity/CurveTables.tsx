// A scaling curve in words and tables, the same in the console and the capacity report: what was
// asked, the fits with their uncertainty, each value's knee and what limited it, and the plan.
import { peakWords, SWEEP_LIMIT_WORDS, type CurveResult, type ScalingFit } from '../../contract/capacity.js';
import type { MeasurementVerdict } from '../../contract/measurement.js';

const f = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '–' : x.toFixed(d));
const pm = (x: number, se: number | undefined, d: number) => (se === undefined ? f(x, d) : `${f(x, d)} ± ${f(se, d)}`);
const when = (t: number | null) =>
  t === null ? 'still running' : new Date(t).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/** The sentence a reader needs first: where throughput peaks, or why nothing can be said. */
export function curveVerdict(c: CurveResult): string {
  const knees = c.points.filter((p) => p.throughput !== null).length;
  const base = `${knees} of ${c.points.length} values reached a knee.`;
  if (!c.usl) return `${base} No fit: ${c.fitNote ?? 'too few knees'}.`;
  const peak = `By the Universal Scalability Law ${peakWords(c.usl, c.field)}.`;
  return `${base} ${peak}${c.fitNote ? ` A poor fit: ${c.fitNote}.` : ''} This machine has ${c.hostCores} cores, shared by the stack and the load generator: the curve flattens once they are busy.`;
}

export function CurveSetup({ c }: { c: CurveResult }) {
  const r = c.request;
  return (
    <table data-testid="curve-setup">
      <tbody>
        <tr>
          <th>curve</th>
          <td>{c.id}</td>
        </tr>
        <tr>
          <th>across</th>
          <td>
            {c.field} = {r.across.values.join(', ')}
          </td>
        </tr>
        <tr>
          <th>each sweep</th>
          <td>
            workload {r.workload}, objective {r.objective}, error budget {f((r.maxErrors ?? 0.01) * 100)}%, steps of{' '}
            {r.stepSeconds ?? 20} s from {r.from ?? 50}/s
          </td>
        </tr>
        <tr>
          <th>measured</th>
          <td>
            {when(c.startedAt)} to {when(c.endedAt)}
          </td>
        </tr>
        {c.error && (
          <tr>
            <th>stopped short</th>
            <td data-testid="curve-error">{c.error} (the values measured before it are kept)</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function fitRow(name: string, fit: ScalingFit | null) {
  if (!fit)
    return (
      <tr key={name}>
        <th scope="row">{name}</th>
        <td colSpan={5}>not fitted</td>
      </tr>
    );
  const se = fit.stdErr ?? undefined;
  return (
    <tr key={name}>
      <th scope="row">{name}</th>
      <td className="num">{pm(fit.lambda, se?.lambda, 1)}</td>
      <td className="num">{pm(fit.sigma, se?.sigma, 3)}</td>
      <td className="num">{fit.model === 'amdahl' ? '0 (held)' : pm(fit.kappa, se?.kappa, 4)}</td>
      <td className="num">{f(fit.r2, 3)}</td>
      <td className="num">{fit.peakN === null ? 'none' : f(fit.peakN)}</td>
    </tr>
  );
}

export function FitTable({ c }: { c: CurveResult }) {
  return (
    <table data-testid="curve-fit">
      <thead>
        <tr>
          <th scope="col">law</th>
          <th scope="col">λ (requests/s at 1)</th>
          <th scope="col">σ contention</th>
          <th scope="col">κ coherency</th>
          <th scope="col">R²</th>
          <th scope="col">peak N</th>
        </tr>
      </thead>
      <tbody>
        {fitRow('Universal Scalability Law', c.usl)}
        {fitRow("Amdahl's law", c.amdahl)}
      </tbody>
    </table>
  );
}

export function PointsTable({ c, measurements }: { c: CurveResult; measurements?: Array<MeasurementVerdict | null> }) {
  return (
    <table data-testid="curve-points">
      <thead>
        <tr>
          <th scope="col">{c.field}</th>
          <th scope="col">knee (offered/s)</th>
          <th scope="col">completed/s</th>
          <th scope="col">p95 at the knee</th>
          <th scope="col">limited by</th>
          <th scope="col">sweep ended</th>
          {measurements && <th scope="col">measurement</th>}
        </tr>
      </thead>
      <tbody>
        {c.points.map((p, i) => {
          const lim = c.limitedBy[i];
          const m = measurements?.[i];
          return (
            <tr key={p.value}>
              <td>{p.value}</td>
              <td className="num">{p.sweep.knee?.rate ?? 'none'}</td>
              <td className="num">{f(p.throughput, 0)}</td>
              <td className="num">{f(p.sweep.knee?.p95 ?? null)} ms</td>
              <td>
                {p.sweep.limit === 'generator'
                  ? 'the load generator'
                  : lim
                    ? `${lim.service} at ${f(lim.cpu, 0)}% of a core`
                    : '–'}
              </td>
              <td>{SWEEP_LIMIT_WORDS[p.sweep.limit]}</td>
              {measurements && (
                <td className={m?.verdict === 'distorted' ? 'fail' : undefined}>
                  {m ? (m.verdict === 'sound' ? 'sound' : `DISTORTED: ${m.reasons.join('; ')}`) : 'its run is gone'}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function headroomLine(c: CurveResult): string | null {
  const h = c.headroom;
  if (!h) {
    if (c.request.target && c.usl && c.fitNote)
      return `No plan for ${c.request.target}/s: the fit is too poor to plan from.`;
    return null;
  }
  const pct = `${f(h.headroom * 100, 0)}% headroom`;
  return h.instances === null
    ? `${h.target}/s with ${pct}: no ${c.field} does it by this fit (past its peak more only costs).`
    : `${h.target}/s with ${pct}: ${c.field} = ${h.instances} (${h.optimistic ?? '?'}–${h.pessimistic ?? 'more than 64'} within the fit's uncertainty; predicted ${f(h.predicted, 0)}/s at ${h.instances}).`;
}
