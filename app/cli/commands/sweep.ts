// scalelab sweep: the capacity sweep on the running stack (app/core/capacity/sweep.ts), its steps
// as they go on stderr, then every step and the knee.
import type { Command } from 'commander';
import {
  peakWords,
  stepVerdict,
  SWEEP_LIMIT_WORDS,
  type CurveResult,
  type SweepRequest,
  type SweepResult,
} from '../../contract/capacity.js';
import { predictionLine } from '../../contract/prediction.js';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';
import { parseDuration } from '../run-view.js';
import { parsePrediction } from './run.js';

interface SweepOpts {
  workload: string;
  slo: string;
  maxErrors: string;
  from?: string;
  factor?: string;
  step?: string;
  refine?: string;
  maxSteps?: string;
  across?: string;
  target?: string;
  headroom: string;
  predict?: string;
  json?: boolean;
}

const number = (flag: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new LabError(`${flag} ${text}: a number`, 'BAD_INPUT');
  return n;
};

const seconds = (text: string) => {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new LabError(`--step: ${(err as Error).message}`, 'BAD_INPUT');
  }
};

/** "1%" or "0.01": the share of requests that may fail. */
export function parseShare(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!m) throw new LabError(`--max-errors ${text}: a share, 1% or 0.01`, 'BAD_INPUT');
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

export function sweepLines(r: SweepResult): string[] {
  const f = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
  const lines = [
    `${'rate/s'.padStart(7)} ${'done/s'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'errors'.padStart(7)}  verdict`,
    ...r.steps.map(
      (s) =>
        `${String(s.rate).padStart(7)} ${f(s.achieved, 0).padStart(7)} ${f(s.p50).padStart(7)} ${f(s.p95).padStart(7)} ${f(s.p99).padStart(7)} ${`${(s.errorRate * 100).toFixed(2)}%`.padStart(7)}  ${stepVerdict(s)}`,
    ),
    '',
    r.knee
      ? `knee: ${r.knee.rate} requests/s held ${r.objective} (${f(r.knee.latency)} ms) with ${(r.knee.errorRate * 100).toFixed(2)}% errors`
      : `knee: none — the first step already broke (${r.objective}); start lower with --from`,
    `ended: ${SWEEP_LIMIT_WORDS[r.limit]}`,
  ];
  if (r.knee) {
    const parts = Object.entries(r.knee.timing)
      .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
      .join(', ');
    if (parts) lines.push(`at the knee the time went to: ${parts} (Server-Timing, mean)`);
    if (r.knee.busiest)
      lines.push(`busiest container: ${r.knee.busiest.service} at ${r.knee.busiest.cpu.toFixed(0)}% of a core`);
  }
  lines.push(`run: ${r.runId} (its timeline holds every step: scalelab report ${r.runId})`);
  return lines;
}

export function registerSweep(program: Command, ctx: CliContext): void {
  program
    .command('sweep')
    .description(
      'find the knee: raise the arrival rate step by step until the latency objective or the error budget breaks (or the load generator falls behind)',
    )
    .requiredOption('--workload <name>', 'the workload whose rate rises')
    .requiredOption('--slo <objective>', 'a latency objective, e.g. "p(95)<200"')
    .option('--max-errors <share>', 'the error budget: 1% or 0.01', '1%')
    .option('--from <rate>', 'the first step, requests/s (default 50)')
    .option('--factor <x>', 'each step this many times the last until one breaks (default 1.5)')
    .option('--step <duration>', 'how long each step holds: 20s (default), 1m')
    .option('--refine <n>', 'bisections between the last step that held and the first that broke (default 2)')
    .option('--max-steps <n>', 'at most this many steps (default 12)')
    .option('--across <field=values>', 'repeat the sweep at each value and fit the scaling law: api.instances=1,2,3,4')
    .option('--target <rate>', 'with --across: the instances this load needs, from the fit')
    .option('--headroom <share>', 'with --target: capacity kept free, 50% or 0.5', '50%')
    .option('--predict <knee=rate>', "the room's prediction of the knee, shown against it afterwards: knee=150")
    .option('--json', 'print the result as one JSON document')
    .action(async (o: SweepOpts) => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      const req = {
        workload: o.workload,
        objective: o.slo,
        maxErrors: parseShare(o.maxErrors),
        from: number('--from', o.from),
        factor: number('--factor', o.factor),
        stepSeconds: o.step === undefined ? undefined : seconds(o.step),
        refine: number('--refine', o.refine),
        maxSteps: number('--max-steps', o.maxSteps),
        prediction: parsePrediction(o.predict, 'sweep') as SweepRequest['prediction'],
      };
      try {
        if (o.across) {
          const c = await lab.api.capacity.curve({
            ...req,
            across: parseAcross(o.across),
            target: number('--target', o.target),
            headroom: parseShare(o.headroom),
          });
          view.done();
          if (o.json) return ctx.print(JSON.stringify(c, null, 2));
          for (const line of curveLines(c)) ctx.print(line);
          return;
        }
        const r = await lab.api.capacity.sweep(req);
        view.done();
        if (o.json) return ctx.print(JSON.stringify(r, null, 2));
        for (const line of sweepLines(r)) ctx.print(line);
        const { run } = await lab.api.runs.open({ id: r.runId });
        if (run.prediction) ctx.print(`prediction: ${predictionLine(run.prediction, run.summary)}`);
      } finally {
        view.done();
        off();
      }
    });
}

/** "api.instances=1,2,3,4" */
export function parseAcross(text: string): { field: string; values: number[] } {
  const m = /^([a-zA-Z.]+)=([\d.,\s]+)$/.exec(text.trim());
  const values = m ? m[2]!.split(',').map((v) => Number(v.trim())) : [];
  if (!m || values.some((v) => !Number.isFinite(v)))
    throw new LabError(`--across ${text}: a field and its values, e.g. api.instances=1,2,3,4`, 'BAD_INPUT');
  return { field: m[1]!, values };
}

export function curveLines(c: CurveResult): string[] {
  const f = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '-' : x.toFixed(d));
  const lines = [`${c.field.padEnd(16)} ${'knee/s'.padStart(8)} ${'done/s'.padStart(8)}  limited by`];
  c.points.forEach((p, i) => {
    const lim = c.limitedBy[i];
    lines.push(
      `${String(p.value).padEnd(16)} ${String(p.sweep.knee?.rate ?? '-').padStart(8)} ${f(p.throughput, 0).padStart(8)}  ${
        p.sweep.limit === 'generator'
          ? 'the load generator'
          : lim
            ? `${lim.service} at ${lim.cpu.toFixed(0)}% of a core`
            : '-'
      }`,
    );
  });
  lines.push('');
  if (c.usl) {
    const se = c.usl.stdErr;
    lines.push(
      `Universal Scalability Law: λ ${f(c.usl.lambda)}${se ? ` ± ${f(se.lambda)}` : ''}/s, σ (contention) ${f(c.usl.sigma, 3)}${se ? ` ± ${f(se.sigma, 3)}` : ''}, κ (coherency) ${f(c.usl.kappa, 4)}${se ? ` ± ${f(se.kappa, 4)}` : ''}, R² ${f(c.usl.r2, 3)}`,
      `  ${peakWords(c.usl, c.field)}`,
    );
    if (c.fitNote) lines.push(`  a poor fit: ${c.fitNote}`);
  } else lines.push(`no fit: ${c.fitNote}`);
  if (c.amdahl)
    lines.push(`Amdahl's law: λ ${f(c.amdahl.lambda)}/s, σ ${f(c.amdahl.sigma, 3)}, R² ${f(c.amdahl.r2, 3)}`);
  lines.push(
    `this machine has ${c.hostCores} cores: the stack and the load generator share them, so the curve flattens once they are busy`,
  );
  if (!c.headroom && c.usl && c.fitNote) lines.push('no headroom plan: the fit is too poor to plan from');
  if (c.headroom) {
    const h = c.headroom;
    lines.push(
      h.instances === null
        ? `${h.target}/s with ${(h.headroom * 100).toFixed(0)}% headroom: no count does it by this fit (past its peak more only costs)`
        : `${h.target}/s with ${(h.headroom * 100).toFixed(0)}% headroom: ${h.instances} (${h.optimistic ?? '?'}–${h.pessimistic ?? 'more than 64'} within the fit's uncertainty; predicted ${f(h.predicted, 0)}/s at ${h.instances})`,
    );
  }
  if (c.error) lines.push(`stopped short: ${c.error} (the values measured before it are kept)`);
  lines.push(`curve: ${c.id} (its capacity report: scalelab curves report ${c.id} --format pdf)`);
  return lines;
}
