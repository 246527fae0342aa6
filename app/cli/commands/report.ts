import { Option, type Command } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../../contract/reports.js';
import type { CliContext } from '../cli-context.js';
import { saveExported } from '../save-file.js';

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('a run as a report: html, pdf, csv, json or a k6-style summary; two runs compared with --compare')
    .argument('<run>', 'a run id (as `scalelab run --json` prints it) or "last"')
    .addOption(new Option('--format <format>', 'what to make').choices([...REPORT_FORMATS]).default('html'))
    .option('--compare <run2>', 'a second run: the report compares the two (B against A)')
    .option('--out <file>', 'where to write it ("-" for stdout); default: its own name in this folder')
    .action(async (run: string, o: { format: ReportFormat; compare?: string; out?: string }) => {
      const file = await (await ctx.lab()).api.reports.build({ run, format: o.format, compare: o.compare });
      saveExported(ctx, file, o.out);
    });
}
