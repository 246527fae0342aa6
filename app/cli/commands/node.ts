import type { Command } from 'commander';
import { LabError } from '../../contract/errors.js';
import { NODE_AVAILABILITIES, type NodeAvailability } from '../../contract/stack.js';
import type { CliContext } from '../cli-context.js';

export function registerNode(program: Command, ctx: CliContext): void {
  program
    .command('node')
    .description('Swarm target: drain a node (Swarm moves its tasks to the others) or make it active again')
    .argument('<action>', NODE_AVAILABILITIES.join('|'))
    .argument('<hostname>', 'a node of the Swarm, as `scalelab status` lists it')
    .action(async (action: string, hostname: string) => {
      if (!NODE_AVAILABILITIES.includes(action as NodeAvailability))
        throw new LabError(`unknown node action "${action}"`, 'BAD_INPUT', `One of ${NODE_AVAILABILITIES.join(', ')}.`);
      const res = await (await ctx.lab()).api.stack.node({ hostname, availability: action as NodeAvailability });
      const seconds = (res.ms / 1000).toFixed(1);
      ctx.print(
        res.availability === 'drain'
          ? `${hostname} drained: ${res.movedTasks} task(s) of the stack moved, all running again after ${seconds} s`
          : `${hostname} active: it takes tasks again (Swarm moves none back by itself)`,
      );
    });
}
