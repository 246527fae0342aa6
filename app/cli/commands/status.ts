import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { statusText } from '../print-status.js';

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('services, state, health and addresses')
    .option('--json', 'one JSON document (entryUrl names the load balancer on the host)')
    .action(async (o: { json?: boolean }) => {
      const st = await (await ctx.lab()).api.stack.status();
      ctx.print(o.json ? JSON.stringify(st, null, 2) : statusText(st));
      if (!st.running) ctx.setExitCode(EXIT.notRunning);
    });
}
