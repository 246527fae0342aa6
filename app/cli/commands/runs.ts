import type { Command } from 'commander';
import { LabError } from '../../contract/errors.js';
import type { CliContext } from '../cli-context.js';
import { summaryTable } from '../run-view.js';
import { DIFFERENCE_COLUMNS, differenceCells } from '../../contract/significance.js';

const fmt = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('stored runs: list, or show / delete / compare by id')
    .argument('[action]', 'show | delete | compare')
    .argument('[ids...]', 'run ids (or "last")')
    .option('--json')
    .action(async (action: string | undefined, ids: string[], o: { json?: boolean }) => {
      const lab = await ctx.lab();
      const list = await lab.api.runs.list();
      const resolve = (id: string) => (id === 'last' ? (list[0]?.id ?? id) : id);
      if (!action) {
        if (o.json) return ctx.print(JSON.stringify(list, null, 2));
        if (!list.length) ctx.print('no runs yet: `scalelab run --workload read-heavy`');
        for (const r of list) {
          const s = r.summary;
          const figures = s
            ? `${s.rps}/s p95 ${s.latency?.p95 ?? '-'} ms errors ${(s.errorRate * 100).toFixed(1)}%`
            : '';
          ctx.print(`${r.id}  ${r.status.padEnd(8)} ${r.engine.padEnd(8)} ${figures}`);
        }
        return;
      }
      if (action === 'show' && ids.length === 1) {
        const d = await lab.api.runs.open({ id: resolve(ids[0]) });
        if (o.json) return ctx.print(JSON.stringify(d, null, 2));
        return ctx.print(
          `${summaryTable(d.run)}\nfolder: ${d.dir}\n${d.timeline.length} seconds, ${d.events.length} events`,
        );
      }
      if (action === 'delete' && ids.length === 1) {
        await lab.api.runs.delete({ id: resolve(ids[0]) });
        return ctx.print(`deleted ${ids[0]}`);
      }
      if (action === 'compare' && ids.length === 2) {
        const c = await lab.api.runs.compare({ a: resolve(ids[0]), b: resolve(ids[1]) });
        if (o.json) return ctx.print(JSON.stringify(c, null, 2));
        ctx.print(`${'figure'.padEnd(32)} ${'A'.padStart(10)} ${'B'.padStart(10)} ${'change'.padStart(9)}`);
        for (const d of c.deltas) {
          const change = d.change === null ? '-' : `${(d.change * 100).toFixed(0)}%`;
          ctx.print(`${d.figure.padEnd(32)} ${fmt(d.a).padStart(10)} ${fmt(d.b).padStart(10)} ${change.padStart(9)}`);
        }
        ctx.print('\nis the difference real?');
        if ('unavailable' in c.significance) return ctx.print(`  ${c.significance.unavailable}`);
        const widths = [44, 9, 9, 9, 22, 0];
        const row = (cells: string[]) =>
          ctx.print(cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join(' '));
        row(DIFFERENCE_COLUMNS);
        for (const d of c.significance.differences) row(differenceCells(d));
        ctx.print(`  ${c.significance.method}`);
        return;
      }
      throw new LabError(
        `runs ${action ?? ''} ${ids.join(' ')}: expected show ID, delete ID or compare A B`,
        'BAD_INPUT',
      );
    });
}
