import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';

export function registerImages(program: Command, ctx: CliContext, presets: readonly string[]): void {
  program
    .command('images')
    .description('build the images a topology needs (all of them by default)')
    .addOption(new Option('--preset <name>').choices([...presets]).default('full'))
    .action(async (o: { preset: string }) => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        const images = await lab.api.stack.images({ preset: o.preset });
        view.done();
        for (const [role, image] of Object.entries(images)) ctx.print(`${role.padEnd(6)} ${image}`);
      } finally {
        off();
      }
    });
}
