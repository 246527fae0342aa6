// The stack's own monitoring (monitoring.enabled): `scalelab alerts` (what fires now), `scalelab
// alerts rules` (the rules file: print it, check one with promtool, use one, go back to the made
// ones), `scalelab targets` (what Prometheus scrapes, and how it went) and `scalelab query EXPR`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';

const ago = (ms: number) => `${Math.max(0, Math.round((Date.now() - ms) / 1000))} s`;

function readRulesFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new LabError(`Cannot read ${file}: ${(e as Error).message}`, 'BAD_INPUT', 'Give the path of a rules file.');
  }
}

export function registerMonitoring(program: Command, ctx: CliContext): void {
  const alerts = program
    .command('alerts')
    .description("alerts of the stack's Prometheus active now (monitoring.enabled)")
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const list = await (await ctx.lab()).api.monitoring.alerts();
      if (o.json) return ctx.print(JSON.stringify(list, null, 2));
      if (!list.length) return ctx.print('no alert fires');
      for (const a of list)
        ctx.print(
          `${a.name.padEnd(18)} ${(a.instance ?? '').padEnd(16)} ${(a.severity ?? '').padEnd(7)} for ${ago(a.startsAt).padEnd(6)} ${a.summary}`,
        );
    });
  alerts
    .command('rules')
    .description('print the rules file Prometheus evaluates; or check, use or drop one of your own')
    .option('--check <file>', 'check a rules file with promtool, changing nothing')
    .option('--file <file>', 'use this rules file instead of the rules made from the thresholds (checked first)')
    .option('--reset', 'go back to the rules made from monitoring.alerts')
    .action(async (o: { check?: string; file?: string; reset?: boolean }) => {
      const api = (await ctx.lab()).api.monitoring;
      if (o.check) {
        const res = await api.checkRules({ yaml: readRulesFile(o.check) });
        ctx.print(res.output);
        if (!res.ok) ctx.setExitCode(EXIT.failure);
        return;
      }
      if (o.file || o.reset) {
        const res = await api.setRules({ yaml: o.file ? readRulesFile(o.file) : null });
        ctx.print(res.changes.length ? `${res.changes[0].how}` : 'Prometheus already evaluates these rules');
        return;
      }
      const rules = await api.rules();
      ctx.print(rules.yaml.trimEnd());
    });
  program
    .command('targets')
    .description("what the stack's Prometheus scrapes, and how each last scrape went")
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const list = await (await ctx.lab()).api.monitoring.targets();
      if (o.json) return ctx.print(JSON.stringify(list, null, 2));
      for (const t of [...list].sort((a, b) => a.instance.localeCompare(b.instance)))
        ctx.print(
          `${t.instance.padEnd(16)} ${t.job.padEnd(13)} ${t.health.padEnd(5)} ${`${t.lastScrapeMs} ms`.padEnd(9)} ${t.lastError}`,
        );
    });
  program
    .command('query')
    .description(
      "a PromQL query on the stack's Prometheus, e.g. 'sum by (instance) (rate(scalelab_http_requests_total[30s]))'",
    )
    .argument('<expr>', 'PromQL')
    .option('--json')
    .action(async (expr: string, o: { json?: boolean }) => {
      const res = await (await ctx.lab()).api.monitoring.query({ expr });
      if (o.json) return ctx.print(JSON.stringify(res, null, 2));
      if (!res.series.length) return ctx.print('(no series)');
      for (const s of res.series) {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(', ');
        ctx.print(`${labels ? `{${labels}}` : '(scalar)'}  ${s.value ?? 'NaN'}`);
      }
    });
}
