// `scalelab version build|list` (the API versions a deploy can roll to) and `scalelab deploy`:
// rolling, blue-green or canary (deployer.ts), each step printed as it happens.
import { InvalidArgumentError, type Command } from 'commander';
import { DEPLOY_STRATEGIES, type DeployStrategy } from '../../contract/deploy.js';
import type { ApiVersionInfo } from '../../contract/stack.js';
import { parseSteps } from '../../core/deploy/deploy-request.js';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';

const number = (min: number, max: number, what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${what} from ${min} to ${max}`);
  return n;
};

interface DeployOptions {
  version: string;
  strategy: string;
  steps?: number[];
  stepSeconds?: number;
  maxP95Ratio?: number;
  minP95IncreaseMs?: number;
  maxErrorRateIncrease?: number;
}

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
    .description(
      'deploy another API version while the stack serves: rolling (instance by instance), blue-green (a second set, the balancer switched at once) or canary (traffic moved step by step, rolled back by itself when the new version does worse)',
    )
    .requiredOption('--version <name>', 'a version built with `scalelab version build` (or v1)')
    .option('--strategy <name>', `${DEPLOY_STRATEGIES.join(' | ')}`, 'rolling')
    .option('--steps <list>', "canary: the new version's share at each step, rising, ending at 100", parseSteps)
    .option('--step-seconds <s>', 'how long each step is held and measured', number(2, 600, 'seconds'))
    .option(
      '--max-p95-ratio <x>',
      'canary: the new p95 may be this many times the old one (default 1.5)',
      number(1, 100, 'a ratio'),
    )
    .option(
      '--min-p95-increase-ms <ms>',
      '...and this much above it before it counts (default 20)',
      number(0, 10_000, 'milliseconds'),
    )
    .option(
      '--max-error-rate-increase <share>',
      'canary: extra share of 5xx allowed (default 0.01)',
      number(0, 1, 'a share'),
    )
    .action(async (o: DeployOptions) => {
      if (!(DEPLOY_STRATEGIES as readonly string[]).includes(o.strategy))
        throw new InvalidArgumentError(`--strategy is one of ${DEPLOY_STRATEGIES.join(', ')}`);
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      try {
        const res = await lab.api.stack.deploy({
          version: o.version,
          strategy: o.strategy as DeployStrategy,
          ...(o.steps ? { steps: o.steps } : {}),
          ...(o.stepSeconds !== undefined ? { stepSeconds: o.stepSeconds } : {}),
          ...(o.maxP95Ratio !== undefined ? { maxP95Ratio: o.maxP95Ratio } : {}),
          ...(o.minP95IncreaseMs !== undefined ? { minP95IncreaseMs: o.minP95IncreaseMs } : {}),
          ...(o.maxErrorRateIncrease !== undefined ? { maxErrorRateIncrease: o.maxErrorRateIncrease } : {}),
        });
        view.done();
        const list = res.instances.map((s) => `${s.name} ${s.version}`).join(', ');
        const took = `${(res.durationMs / 1000).toFixed(1)} s`;
        if (res.outcome === 'unchanged') ctx.print(`every instance already runs ${o.version}`);
        else if (res.outcome === 'promoted')
          ctx.print(`${res.strategy} deploy ${res.from} → ${res.to} done in ${took}: ${list}`);
        else {
          const why = res.markers.findLast((m) => m.phase === 'rolled-back')?.judgement?.reason ?? '';
          ctx.print(
            `${res.strategy} deploy rolled back after ${took}: ${why}\nevery instance runs ${res.from}: ${list}`,
          );
          ctx.setExitCode(EXIT.failure);
        }
      } finally {
        off();
      }
    });
}
