import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { statusText } from '../print-status.js';
import { createProgressView } from '../progress-view.js';
import { topologyRequest, withTopologyOptions, type TopologyOpts } from '../topology-options.js';

// Errors where nothing was started, so there is nothing to remove.
const NOTHING_STARTED = new Set(['DOCKER_UNAVAILABLE', 'PORT_IN_USE', 'BAD_INPUT']);

export function registerUp(program: Command, ctx: CliContext, presets: readonly string[]): void {
  withTopologyOptions(
    program.command('up').description('bring the stack up (or adopt, converge and heal the running one)'),
    presets,
  )
    .option('--json', 'print the status as JSON when done')
    .option('--keep-on-failure', 'leave what was started when bringing up fails (for debugging)')
    .action(async (o: TopologyOpts & { json?: boolean; keepOnFailure?: boolean }) => {
      const req = topologyRequest(o);
      const lab = await ctx.lab();
      await lab.api.stack.validate(req); // refuse bad input before touching Docker
      const before = await lab.api.stack.status();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        const st = await lab.api.stack.up(req);
        view.done();
        ctx.print(o.json ? JSON.stringify(st, null, 2) : statusText(st));
      } catch (err) {
        view.done();
        const code = (err as { code?: string }).code ?? '';
        // Only what this command started is removed: a stack that ran before is left as it was.
        if (!o.keepOnFailure && !before.running && !NOTHING_STARTED.has(code)) {
          ctx.err.write('bringing up failed; removing what was started (use --keep-on-failure to keep it)\n');
          await lab.api.stack.down().catch(() => undefined);
        }
        throw err;
      } finally {
        off();
      }
    });
}
