// `scalelab version build|list` (the API versions a deploy can roll to) and `scalelab deploy`:
// a rolling deploy, each instance drained and started again on the new version's image.
import { InvalidArgumentError, type Command } from 'commander';
import type { ApiVersionInfo } from '../../contract/stack.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';

const number = (min: number, max: number, what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${what} from ${min} to ${max}`);
  return n;
};

const versionLine = (v: ApiVersionInfo) =>
  `${v.name.padEnd(8)} ${v.image.padEnd(34)} ${
    v.latencyMs || v.errorRate ? `regression: +${v.latencyMs} ms, ${v.errorRate * 100}% errors` : 'no regression'
  }${v.current ? '' : '   (built from an older API: build it again)'}`;

export function registerVersion(program: Command, ctx: CliContext): void {
  const version = program.command('version').description('API versions a deploy can roll to');
  version
    .command('build <name>')
    .description('build an API version (v2, v3...) from the API as built, with an optional regression')
    .option('--latency-ms <ms>', 'added to every response (a slower version)', number(0, 5000, 'milliseconds'), 0)
    .option('--error-rate <share>', 'of responses that fail with 500 (a broken version)', number(0, 1, 'a share'), 0)
    .action(async (name: string, o: { latencyMs: number; errorRate: number }) => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        const v = await lab.api.stack.buildVersion({ name, latencyMs: o.latencyMs, errorRate: o.errorRate });
        view.done();
        ctx.print(versionLine(v));
      } finally {
        off();
      }
    });
  version
    .command('list')
    .description('the API versions built on this engine')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const list = await (await ctx.lab()).api.stack.versions();
      ctx.print(o.json ? JSON.stringify(list, null, 2) : list.map(versionLine).join('\n'));
    });

  program
    .command('deploy')
    .description('roll the API instances to another version, one at a time, while the others serve')
    .requiredOption('--version <name>', 'a version built with `scalelab version build` (or v1)')
    .action(async (o: { version: string }) => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        const res = await lab.api.stack.apply({ set: { 'api.version': o.version } });
        view.done();
        const instances = res.status.services.filter((s) => s.role === 'api');
        ctx.print(
          res.changes.length
            ? `rolled ${instances.length} instance(s) to ${o.version}: ${instances.map((s) => `${s.name} ${s.version}`).join(', ')}`
            : `every instance already runs ${o.version}`,
        );
      } finally {
        off();
      }
    });
}
