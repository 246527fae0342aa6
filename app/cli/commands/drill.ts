import { Argument, type Command } from 'commander';
import {
  DRILL_KINDS,
  type BackupInfo,
  type DrillKind,
  type DrillResult,
  type RestoreResult,
} from '../../contract/stack.js';
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

export function restoreLines(r: RestoreResult): string[] {
  return [
    `restore (pgBackRest, point in time) from backup ${r.backup} to ${r.target}`,
    `  orders acknowledged before the point   ${r.beforeTarget.present} of ${r.beforeTarget.acknowledged} back`,
    `  orders acknowledged after the point    ${r.afterTarget.present} of ${r.afterTarget.acknowledged} back (none should be)`,
    `  data given up (RPO, the point chosen)  ${secs(r.rpoMs)} before the disaster`,
    `  write outage (RTO)                     ${secs(r.writeOutageMs)}   (first write failed to first acknowledged again)`,
    `  restore itself                         ${secs(r.restoreMs)}   (stop, pgbackrest restore, WAL replay, replicas cloned)`,
    ...(r.replicasRecloned.length ? [`  replicas cloned again                  ${r.replicasRecloned.join(', ')}`] : []),
    ...r.notes.map((n) => `  note: ${n}`),
  ];
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
export const backupLine = (b: BackupInfo) =>
  `${b.label}  ${b.type}  ${new Date(b.start).toISOString()}  ${secs(b.stop - b.start)}  ${mb(b.size)} (${mb(b.repoSize)} in the repository)`;

/** Runs an API call with the stack's progress shown on stderr. */
async function withProgress<T>(
  ctx: CliContext,
  fn: (api: Awaited<ReturnType<CliContext['lab']>>['api']) => Promise<T>,
) {
  const lab = await ctx.lab();
  const view = createProgressView(ctx.err);
  const off = lab.on('stack.progress', view.onProgress);
  try {
    return await fn(lab.api);
  } finally {
    view.done();
    off();
  }
}

export function registerDrill(program: Command, ctx: CliContext): void {
  program
    .command('drill')
    .description(
      'kill the leader (failover) or hand it over (switchover) under writes (database.ha), or drop the orders table and restore to a point before it (restore, database.backups); each measured',
    )
    .addArgument(new Argument('<kind>', 'what to drill').choices([...DRILL_KINDS, 'restore']))
    .option('--json')
    .action(async (kind: DrillKind | 'restore', o: { json?: boolean }) => {
      if (kind === 'restore') {
        const r = await withProgress(ctx, (api) => api.stack.restoreDrill());
        if (o.json) return ctx.print(JSON.stringify(r, null, 2));
        for (const line of restoreLines(r)) ctx.print(line);
        return;
      }
      const result: DrillResult = await withProgress(ctx, (api) => api.stack.drill({ kind }));
      if (o.json) return ctx.print(JSON.stringify(result, null, 2));
      for (const line of drillLines(result)) ctx.print(line);
    });
  program
    .command('backup')
    .description('database.backups: take a full backup now with pgBackRest, or list the backups (--list)')
    .option('--list', 'list the backups in the repository instead')
    .option('--json')
    .action(async (o: { list?: boolean; json?: boolean }) => {
      const list = o.list
        ? await (await ctx.lab()).api.stack.backups()
        : [await withProgress(ctx, (api) => api.stack.backup())];
      if (o.json) return ctx.print(JSON.stringify(o.list ? list : list[0], null, 2));
      if (!list.length) return ctx.print('no backup yet (`scalelab backup` takes one)');
      for (const b of list) ctx.print(backupLine(b));
    });
}
