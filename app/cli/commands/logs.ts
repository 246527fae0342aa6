import type { Command } from 'commander';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';

export const MAX_TAIL = 10_000;

export function parseTail(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_TAIL) {
    throw new LabError(`--tail ${text}: a whole number of lines from 1 to ${MAX_TAIL}`, 'BAD_INPUT');
  }
  return n;
}

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("a service's last log lines")
    .argument('<service>')
    .option('--tail <n>', 'how many lines', '100')
    .action(async (service: string, o: { tail: string }) => {
      const tail = parseTail(o.tail);
      ctx.print(await (await ctx.lab()).api.stack.logs({ service, tail }));
    });
}
