// `scalelab purge [path]`: the edge cache forgets one path (as the API does for a product whose
// price changed, with edgeCache.purgeOnWrite), or everything it keeps.
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

export function registerPurge(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .description('edgeCache: the edge forgets one path (/products/7), or everything it keeps')
    .argument('[path]', 'a path and query the edge may keep; none: every entry')
    .action(async (path: string | undefined) => {
      const res = await (await ctx.lab()).api.stack.purge(path ? { path } : {});
      ctx.print(
        res.path === null
          ? `the edge forgot every entry (${res.entries})`
          : res.entries
            ? `the edge forgot ${res.path}`
            : `the edge did not keep ${res.path}`,
      );
    });
}
