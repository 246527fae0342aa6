import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';

export function registerDown(program: Command, ctx: CliContext): void {
  program
    .command('down')
    .description('remove every container, network and volume of the stack, nothing else')
    .action(async () => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        await lab.api.stack.down();
      } finally {
        view.done();
        off();
      }
    });
}
