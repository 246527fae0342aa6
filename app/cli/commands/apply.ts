import type { Command } from 'commander';
import type { TopologyChange } from '../../contract/topology.js';
import { rebalanceRows } from '../../contract/shard-figures.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';
import { topologyRequest, withTopologyOptions, type TopologyOpts } from '../topology-options.js';

const changeLine = (c: TopologyChange) =>
  `${c.kind.padEnd(7)} ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}  (${c.how})`;

export function registerApply(program: Command, ctx: CliContext, presets: readonly string[]): void {
  withTopologyOptions(
    program.command('apply').description('change the running stack: live where possible, else restart one service'),
    presets,
  )
    .option('--dry-run', 'only show what would change')
    .option('--json', 'print the result as JSON')
    .action(async (o: TopologyOpts & { dryRun?: boolean; json?: boolean }) => {
      const req = topologyRequest(o);
      const lab = await ctx.lab();
      // One round trip each: core merges the request over the running topology and diffs once.
      if (o.dryRun) {
        const changes = await lab.api.stack.preview(req);
        ctx.print(
          o.json ? JSON.stringify(changes, null, 2) : changes.map(changeLine).join('\n') || 'nothing to change',
        );
        return;
      }
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        const res = await lab.api.stack.apply(req);
        view.done();
        ctx.print(
          o.json ? JSON.stringify(res, null, 2) : res.changes.map(changeLine).join('\n') || 'nothing to change',
        );
        // A re-sharding: what the mover measured.
        if (res.rebalance && !o.json)
          ctx.print(
            [
              '',
              'orders moved between shards:',
              ...rebalanceRows(res.rebalance).map(([l, v]) => `  ${l.padEnd(22)} ${v}`),
            ].join('\n'),
          );
      } finally {
        off();
      }
    });
}
