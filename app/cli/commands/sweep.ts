// scalelab sweep: the capacity sweep on the running stack (app/core/capacity/sweep.ts), its steps
// as they go on stderr, then every step and the knee.
import type { Command } from 'commander';
import type { SweepResult } from '../../contract/capacity.js';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';
import { parseDuration } from '../run-view.js';

interface SweepOpts {
  workload: string;
  slo: string;
  maxErrors: string;
  from?: string;
  factor?: string;
  step?: string;
  refine?: string;
  maxSteps?: string;
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

const LIMIT_WORDS: Record<SweepResult['limit'], string> = {
  objective: 'the latency objective broke',
  errors: 'the error budget broke',
  generator: 'the load generator fell behind: it, not the stack, was the limit',
  'max-steps': 'the steps ran out with every one held: the knee is higher',
};

export function sweepLines(r: SweepResult): string[] {
  const f = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));
  const lines = [
    `${'rate/s'.padStart(7)} ${'done/s'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'errors'.padStart(7)}  verdict`,
    ...r.steps.map(
      (s) =>
        `${String(s.rate).padStart(7)} ${f(s.achieved, 0).padStart(7)} ${f(s.p50).padStart(7)} ${f(s.p95).padStart(7)} ${f(s.p99).padStart(7)} ${`${(s.errorRate * 100).toFixed(2)}%`.padStart(7)}  ${
          s.generatorLimited
            ? 'generator behind'
            : s.objectiveMet && s.errorsMet
              ? 'held'
              : !s.objectiveMet
                ? 'objective broke'
                : 'errors broke'
        }`,
    ),
    '',
    r.knee
      ? `knee: ${r.knee.rate} requests/s held ${r.objective} (${f(r.knee.latency)} ms) with ${(r.knee.errorRate * 100).toFixed(2)}% errors`
      : `knee: none — the first step already broke (${r.objective}); start lower with --from`,
    `ended: ${LIMIT_WORDS[r.limit]}`,
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
    .option('--json', 'print the result as one JSON document')
    .action(async (o: SweepOpts) => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      let r: SweepResult;
      try {
        r = await lab.api.capacity.sweep({
          workload: o.workload,
          objective: o.slo,
          maxErrors: parseShare(o.maxErrors),
          from: number('--from', o.from),
          factor: number('--factor', o.factor),
          stepSeconds: o.step === undefined ? undefined : seconds(o.step),
          refine: number('--refine', o.refine),
          maxSteps: number('--max-steps', o.maxSteps),
        });
      } finally {
        view.done();
        off();
      }
      if (o.json) return ctx.print(JSON.stringify(r, null, 2));
      for (const line of sweepLines(r)) ctx.print(line);
    });
}
