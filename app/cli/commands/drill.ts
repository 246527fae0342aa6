import { Argument, type Command } from 'commander';
import { DRILL_KINDS, type DrillKind, type DrillResult } from '../../contract/stack.js';
import type { CliContext } from '../cli-context.js';
import { createProgressView } from '../progress-view.js';

const secs = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

export function drillLines(r: DrillResult): string[] {
  const mode = r.synchronous ? 'synchronous' : 'asynchronous';
  return [
    `${r.kind} (${mode} replication): ${r.oldLeader} → ${r.newLeader ?? 'no new leader'}`,
    `  new leader elected after   ${secs(r.electedAfterMs)}   (Patroni's cluster view)`,
    `  write outage (RTO)         ${secs(r.writeOutageMs)}   (first write failed to first acknowledged again, at the entry point)`,
    `  writes                     ${r.writes.sent} sent, ${r.writes.acknowledged} acknowledged, ${r.writes.failed} failed`,
    `  acknowledged writes lost   ${r.lostAcknowledged ?? 'not counted'}${r.lostIds.length ? ` (order ids ${r.lostIds.join(', ')})` : ''}   (RPO)`,
    `  timeline                   ${r.timeline.before ?? '?'} → ${r.timeline.after ?? '?'}`,
    ...(r.kind === 'failover' ? [`  old leader back as replica ${secs(r.rejoinedAfterMs)}`] : []),
    ...r.notes.map((n) => `  note: ${n}`),
  ];
}

export function registerDrill(program: Command, ctx: CliContext): void {
  program
    .command('drill')
    .description(
      'database.ha: kill the leader (failover) or hand it over (switchover) under writes, and measure the write outage and the acknowledged writes lost',
    )
    .addArgument(new Argument('<kind>', 'what to drill').choices(DRILL_KINDS))
    .option('--json')
    .action(async (kind: DrillKind, o: { json?: boolean }) => {
      const lab = await ctx.lab();
      const view = createProgressView(ctx.err);
      const off = lab.on('stack.progress', view.onProgress);
      let result: DrillResult;
      try {
        result = await lab.api.stack.drill({ kind });
      } finally {
        view.done();
        off();
      }
      if (o.json) return ctx.print(JSON.stringify(result, null, 2));
      for (const line of drillLines(result)) ctx.print(line);
    });
}
