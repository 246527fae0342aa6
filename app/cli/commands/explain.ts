import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';

const category = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a category id from 1 to 1000');
  return n;
};

export function registerExplain(program: Command, ctx: CliContext): void {
  program
    .command('explain')
    .description("the expensive read's query plan on the primary (EXPLAIN ANALYZE): its time and the indexes it uses")
    .option('--category <id>', 'the category whose top products are explained', category, 1)
    .option('--json')
    .action(async (o: { category: number; json?: boolean }) => {
      const plan = await (await ctx.lab()).api.stack.explain({ category: o.category });
      if (o.json) return ctx.print(JSON.stringify(plan, null, 2));
      ctx.print(plan.text);
      ctx.print('');
      ctx.print(
        `${plan.node}, category ${plan.category}: executed in ${plan.executionMs ?? 'n/a'} ms` +
          (plan.pages != null ? `, ${plan.pages} pages (8 kB) touched; ` : '; ') +
          (plan.indexes.length ? `indexes used: ${plan.indexes.join(', ')}` : 'no index used (every table read whole)'),
      );
    });
}
