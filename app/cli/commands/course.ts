import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { saveExported } from '../save-file.js';

export function registerCourse(program: Command, ctx: CliContext): void {
  const course = program
    .command('course')
    .description('the course: chapters and lessons with your progress (as the console keeps it)')
    .option('--json', 'the chapters and progress as one JSON document')
    .action(async (o: { json?: boolean }) => {
      const { chapters, progress } = await (await ctx.lab()).api.course.get();
      if (o.json) return ctx.print(JSON.stringify({ chapters, progress }, null, 2));
      for (const c of chapters) {
        ctx.print(`${c.number}. ${c.title} (${c.id})`);
        for (const l of c.lessons) {
          const p = progress.lessons[l.id];
          const mark = p?.passedAt ? 'passed' : p?.predicted !== undefined ? 'predicted' : 'not started';
          ctx.print(`   ${p?.passedAt ? '✓' : '·'} ${l.title} [${mark}]: ${l.check.describe}`);
        }
      }
    });
  course
    .command('handout')
    .description('a chapter as a printable workshop handout')
    .argument('<chapter>', 'a chapter id, as `scalelab course` lists them (e.g. cache)')
    .addOption(new Option('--format <format>', 'what to make').choices(['pdf', 'html']).default('pdf'))
    .option('--out <file>', 'where to write it ("-" for stdout); default: its own name in this folder')
    .action(async (chapter: string, o: { format: 'pdf' | 'html'; out?: string }) => {
      saveExported(ctx, await (await ctx.lab()).api.reports.handout({ chapter, format: o.format }), o.out);
    });
}
