import { Argument, type Command } from 'commander';
import { unzipSync } from 'fflate';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../contract/errors.js';
import { STACK_EXPORT_KINDS, type StackExportKind } from '../../contract/reports.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';
import { topologyRequest, withTopologyOptions, type TopologyOpts } from '../topology-options.js';

export function registerExport(program: Command, ctx: CliContext, presets: readonly string[]): void {
  withTopologyOptions(
    program
      .command('export')
      .description(
        'the stack as files that run without ScaleLab: compose (docker-compose.yml, .env, build contexts, ' +
          'Prometheus and Grafana files), grafana (prometheus.yml, targets.json, alert-rules.yml, grafana-dashboard.json) ' +
          'or kubernetes (scalelab.yaml, a k6 operator TestRun, README.md)',
      )
      .addArgument(new Argument('<kind>', 'what to export').choices([...STACK_EXPORT_KINDS])),
    presets,
  )
    .requiredOption('--out <dir>', 'the folder to write into (made when missing; must be empty unless --force)')
    .option('--force', 'write into a folder that already holds files, replacing those of the same name')
    .action(async (kind: StackExportKind, o: TopologyOpts & { out: string; force?: boolean }) => {
      const req = topologyRequest(o);
      const out = path.resolve(o.out);
      if (existsSync(out) && readdirSync(out).length && !o.force) {
        throw new LabError(
          `${out} is not empty.`,
          'BAD_INPUT',
          'Name a new folder, or add --force to replace the files there.',
        );
      }
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      let zip;
      try {
        zip = await lab.api.reports.exportStack({ kind, ...req });
      } finally {
        view.done();
        off();
      }
      const files = unzipSync(Buffer.from(zip.content, zip.encoding));
      for (const [name, body] of Object.entries(files)) {
        if (name.endsWith('/')) continue;
        const target = path.join(out, name);
        if (!target.startsWith(out + path.sep))
          throw new LabError(`export holds a path outside its folder: ${name}`, 'BAD_INPUT');
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, body);
      }
      ctx.print(
        `${out}: ${Object.keys(files)
          .filter((n) => !n.endsWith('/'))
          .sort()
          .join(', ')}`,
      );
      if (kind === 'compose') ctx.print(`start it with: cd ${out} && docker-compose up -d`);
      if (kind === 'kubernetes')
        ctx.print(`apply it with: kubectl apply -f ${path.join(out, 'scalelab.yaml')} (see README.md)`);
    });
}
