import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerReap(program: Command, ctx: CliContext): void {
  program
    .command('reap')
    .description(
      'remove what crashed sessions left: the named stack (--stack), or every stack where nothing runs; ' +
        'a stack made in the last two minutes is left alone (it may be coming up)',
    )
    .action(async () => {
      const reaped = await (await ctx.lab()).api.stack.reap({ allStacks: ctx.stackOption() === undefined });
      ctx.print(reaped.length ? `reaped: ${reaped.join(', ')}` : 'nothing to reap');
    });
}
