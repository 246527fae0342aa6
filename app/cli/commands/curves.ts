// scalelab curves: the scaling curves measured so far (`scalelab sweep --across` saves one as it
// goes), one in full, or one as a capacity report (HTML, PDF, JSON).
import { Option, type Command } from 'commander';
import { CURVE_REPORT_FORMATS, type CurveReportFormat, type CurveResult } from '../../contract/capacity.js';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';
import { saveExported } from '../save-file.js';
import { curveLines } from './sweep.js';

/** One line a curve: id, what it ran across, its knees, and where the fit peaks. */
export function curveListLine(c: CurveResult): string {
  const knees = c.points.map((p) => `${p.value}:${p.sweep.knee ? Math.round(p.throughput ?? 0) : '-'}`).join(' ');
  const peak = c.usl ? (c.usl.peakN === null ? 'no peak' : `peak N ≈ ${c.usl.peakN.toFixed(1)}`) : 'no fit';
  const state = c.error ? ' (stopped short)' : c.endedAt === null ? ' (running)' : '';
  return `${c.id}  ${c.field}  knees/s ${knees}  ${peak}${state}`;
}

export function registerCurves(program: Command, ctx: CliContext): void {
  const curves = program
    .command('curves')
    .description('scaling curves measured with `scalelab sweep --across`: list them')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const list = await (await ctx.lab()).api.capacity.curves();
      if (o.json) return ctx.print(JSON.stringify(list, null, 2));
      if (!list.length)
        ctx.print('no scaling curves yet: scalelab sweep --workload W --slo "p(95)<200" --across api.instances=1,2,3');
      for (const c of list) ctx.print(curveListLine(c));
    });
  curves
    .command('show')
    .description('one curve: each value\u2019s knee, the fits and the plan')
    .argument('<curve>', 'a curve id, or "last"')
    .action(async (id: string) => {
      const list = await (await ctx.lab()).api.capacity.curves();
      const c = id === 'last' ? list[0] : list.find((x) => x.id === id);
      if (!c)
        throw new LabError(`There is no scaling curve "${id}".`, 'NO_SUCH_CURVE', '`scalelab curves` lists them.');
      for (const line of curveLines(c)) ctx.print(line);
    });
  curves
    .command('report')
    .description('a curve as a capacity report: the curves, the fit, each knee and its measurement')
    .argument('<curve>', 'a curve id, or "last"')
    .addOption(new Option('--format <format>', 'what to make').choices([...CURVE_REPORT_FORMATS]).default('html'))
    .option('--out <file>', 'where to write it ("-" for stdout); default: its own name in this folder')
    .action(async (curve: string, o: { format: CurveReportFormat; out?: string }) => {
      saveExported(ctx, await (await ctx.lab()).api.reports.curve({ curve, format: o.format }), o.out);
    });
}
