import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerReplication(program: Command, ctx: CliContext): void {
  program
    .command('replication')
    .description('replication lag per replica')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const lag = await (await ctx.lab()).api.stack.replication();
      if (o.json) return ctx.print(JSON.stringify(lag, null, 2));
      if (!lag.length) ctx.print('no replicas');
      for (const r of lag) {
        const secs = r.idle ? 'idle' : r.lagSeconds === null ? 'n/a' : `${r.lagSeconds.toFixed(3)} s`;
        const state = r.state ?? 'not streaming';
        ctx.print(
          `${r.replica.padEnd(14)} ${secs.padEnd(10)} ${r.lagBytes ?? 'n/a'} bytes  ${state}${r.replayPaused ? '  (replay paused)' : ''}`,
        );
      }
    });
}
