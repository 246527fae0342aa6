import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerPresets(program: Command, ctx: CliContext): void {
  program
    .command('presets')
    .description('the stage presets')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const presets = await (await ctx.lab()).api.stack.presets();
      if (o.json) return ctx.print(JSON.stringify(presets, null, 2));
      for (const p of presets)
        ctx.print(`${p.name.padEnd(14)} ${p.stage ? `stage ${p.stage}` : '       '}  ${p.summary}`);
    });
}
