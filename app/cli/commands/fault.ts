import type { Command } from 'commander';
import { FAULT_KINDS, type FaultKind } from '../../contract/stack.js';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';

export function registerFault(program: Command, ctx: CliContext): void {
  program
    .command('fault')
    .description(`inject a fault into one service: ${FAULT_KINDS.join(', ')}`)
    .argument('<kind>', FAULT_KINDS.join('|'))
    .argument('<service>', 'e.g. api-2, cache, db-replica-1, db-primary')
    .action(async (kind: string, service: string) => {
      if (!FAULT_KINDS.includes(kind as FaultKind)) {
        throw new LabError(`unknown fault "${kind}"`, 'BAD_INPUT', `One of ${FAULT_KINDS.join(', ')}.`);
      }
      await (await ctx.lab()).api.stack.fault({ service, kind: kind as FaultKind });
      ctx.print(`${kind} ${service}: done`);
    });
}
