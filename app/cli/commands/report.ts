import { Option, type Command } from 'commander';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPORT_FORMATS, type ReportFormat } from '../../contract/reports.js';
import type { CliContext } from '../cli-context.js';

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
      const body = Buffer.from(file.content, file.encoding);
      if (o.out === '-') return ctx.out.write(body);
      const out = path.resolve(o.out ?? file.filename);
      // Written whole beside the target, then renamed over it: never half a report at that path.
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(`${out}.partial`, body);
      renameSync(`${out}.partial`, out);
      ctx.print(`${out} (${file.bytes} bytes)`);
    });
}
