// `scalelab drill restore` (database.backups): under the drill's own writes, a point in time is
// noted, writes go on past it, then the disaster: the orders table is dropped. pgBackRest restores
// the primary to the point noted (point-in-time recovery from the last full backup and the
// archived WAL). Measured: the orders acknowledged before the point are back, the ones after it are
// not, and how long writes were out (RTO).
import { LabError } from '../../contract/errors.js';
import type { DrillProgress, RestoreResult } from '../../contract/stack.js';
import { StackNotRunningError } from '../runtime/errors.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import { writeOutageMs } from './drill-figures.js';
import { WriteProbe, type ProbeWrite } from './write-probe.js';

export interface RestoreDrillDeps {
  runtime: StackRuntime;
  stack: string;
  onProgress?: (p: DrillProgress) => void;
  /** The runtime's own steps (stop, restore, start, replicas cloned). */
  onStackProgress?: ProgressSink;
  onFault?: (label: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BEFORE_MS = 3000;
const AFTER_MS = 2000;
const RECOVERY_LIMIT_MS = 120_000;

async function preflight(runtime: StackRuntime, stack: string) {
  const status = await runtime.status(stack);
  if (!status.running || !status.topology || !status.entryUrl) throw new StackNotRunningError(stack);
  if (!status.topology.database.backups)
    throw new LabError(
      'no backups: database.backups is off',
      'BAD_INPUT',
      'Switch it on (`scalelab apply --set database.backups=true`): WAL is archived from then on and a full backup is taken.',
    );
  const backups = await runtime.backups(stack);
  if (!backups.length)
    throw new LabError('no backup in the repository yet', 'BAD_INPUT', 'Take one with `scalelab backup`.');
  return { status, backup: backups[backups.length - 1].label };
}

const acked = (writes: ProbeWrite[], pred: (w: ProbeWrite) => boolean) =>
  writes.filter((w) => w.id !== null && pred(w)).map((w) => w.id!);

export async function runRestoreDrill(deps: RestoreDrillDeps): Promise<RestoreResult> {
  const { runtime, stack } = deps;
  const say = (step: DrillProgress['step'], message: string) => deps.onProgress?.({ step, message, at: Date.now() });
  const notes: string[] = [];
  say('check', 'checking the stack: backups on, a backup in the repository');
  const { status, backup } = await preflight(runtime, stack);

  const before = new WriteProbe({ entryUrl: status.entryUrl! });
  before.start();
  let target: string;
  let targetFrom: number;
  let targetTo: number;
  let disasterAt: number;
  try {
    say('writes', `writing orders through ${status.entryUrl} (40/s)`);
    await sleep(BEFORE_MS);
    if (!before.acknowledgedSince(0))
      throw new LabError('no write was acknowledged before the drill: the stack is not taking writes', 'BAD_INPUT');
    // PostgreSQL's own clock names the point; writes answered before the call are before it.
    targetFrom = Date.now();
    target = await runtime.primarySql(stack, 'SELECT clock_timestamp()::text');
    targetTo = Date.now();
    say('writes', `the point to restore to: ${target}; writes go on past it`);
    await sleep(AFTER_MS);
  } finally {
    await before.stop();
  }

  const after = new WriteProbe({ entryUrl: status.entryUrl! });
  after.start();
  let restoreMs = 0;
  let recloned: string[] = [];
  try {
    say('fault', 'the disaster: DROP TABLE orders');
    disasterAt = Date.now();
    deps.onFault?.('restore drill: DROP TABLE orders');
    await runtime.primarySql(stack, 'DROP TABLE orders CASCADE');
    // Forces a WAL switch and waits until that segment is archived: the WAL up to the disaster
    // must be in the repository for the restore to reach the point before it.
    say('recovery', 'archiving the last WAL (pg_switch_wal)');
    await runtime.primarySql(stack, 'SELECT pg_switch_wal()');
    await waitArchived(runtime, stack);
    say('recovery', `restoring the primary from backup ${backup} to ${target}`);
    const t0 = Date.now();
    recloned = await runtime.restore(stack, target, deps.onStackProgress);
    restoreMs = Date.now() - t0;
    say('recovery', 'waiting for writes to be acknowledged again');
    const until = Date.now() + RECOVERY_LIMIT_MS;
    while (Date.now() < until && !after.acknowledgedSince(disasterAt)) await sleep(250);
    if (!after.acknowledgedSince(disasterAt)) notes.push('no write was acknowledged after the restore in time');
    else if (!(await after.steady(2000, 30_000)))
      notes.push(
        `writes were not steady again within 30 s of the first acknowledged (${after.failuresSince(Date.now() - 30_000)})`,
      );
  } finally {
    await after.stop();
  }

  say('verify', 'reading back the orders written before and after the point');
  const beforeIds = acked(before.writes, (w) => w.doneAt < targetFrom);
  const afterIds = acked(before.writes, (w) => w.sentAt > targetTo);
  let present = new Set<number>();
  try {
    present = await ordersPresent(runtime, stack, before.clientId);
  } catch (err) {
    notes.push(`the orders could not be read back: ${(err as Error).message}`);
  }
  say('done', 'restore drill done');
  return {
    target,
    targetAt: Math.round((targetFrom + targetTo) / 2),
    disasterAt,
    backup,
    restoreMs,
    writeOutageMs: writeOutageMs(after.writes, disasterAt),
    rpoMs: disasterAt - targetTo,
    beforeTarget: { acknowledged: beforeIds.length, present: beforeIds.filter((id) => present.has(id)).length },
    afterTarget: { acknowledged: afterIds.length, present: afterIds.filter((id) => present.has(id)).length },
    replicasRecloned: recloned,
    notes,
  };
}

/** The probe's orders the restored primary holds, read by psql in its own container (the same
 *  on both targets: a Swarm task publishes no port). The client id is the probe's own hex. */
async function ordersPresent(runtime: StackRuntime, stack: string, clientId: string): Promise<Set<number>> {
  if (!/^[\w-]+$/.test(clientId)) throw new LabError(`not a probe's client id: ${clientId}`, 'BAD_INPUT');
  const out = await runtime.primarySql(stack, `SELECT id FROM orders WHERE client_id = '${clientId}'`, 10_000);
  return new Set(out.split('\n').filter(Boolean).map(Number));
}

/** Until PostgreSQL reports the segment before the current one archived (pg_stat_archiver): after
 *  pg_switch_wal that is the segment holding the disaster. */
async function waitArchived(runtime: StackRuntime, stack: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const row = await runtime.primarySql(
      stack,
      "SELECT coalesce(last_archived_wal, '') || '|' || pg_walfile_name(pg_current_wal_lsn()) FROM pg_stat_archiver",
    );
    const [archived, current] = row.split('|');
    // WAL file names of one length compare as their positions do.
    if (archived && archived >= previousSegment(current)) return;
    await sleep(250);
  }
  throw new LabError('the WAL up to the disaster was not archived within 30 s', 'EXEC_FAILED');
}

/** The WAL file name before `name` (timeline, log, segment; 16 MB segments: 256 per log). */
export function previousSegment(name: string): string {
  const tli = name.slice(0, 8);
  const log = parseInt(name.slice(8, 16), 16);
  const seg = parseInt(name.slice(16, 24), 16);
  const [l, s] = seg === 0 ? [log - 1, 0xff] : [log, seg - 1];
  return `${tli}${l.toString(16).toUpperCase().padStart(8, '0')}${s.toString(16).toUpperCase().padStart(8, '0')}`;
}
