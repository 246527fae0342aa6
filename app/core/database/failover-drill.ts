// `scalelab drill failover | switchover` (database.ha): under the drill's own writes, the leader is
// killed (Patroni elects and promotes a replica, the old node comes back as a replica) or handed
// over on purpose (POST /switchover). Measured where a client stands: the write outage, and the
// acknowledged writes missing afterwards, by order id. Every wait is bounded; a drill that cannot
// finish says what state it left the stack in.
import { LabError } from '../../contract/errors.js';
import { SERVICE } from '../../contract/services.js';
import type { DrillKind, DrillProgress, DrillResult } from '../../contract/stack.js';
import { StackNotRunningError } from '../runtime/errors.js';
import { patroniEndpoints } from '../runtime/ha-actions.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';
import { lostAcknowledged, writeCounts, writeOutageMs } from './drill-figures.js';
import { readCluster, switchover, type PatroniCluster } from './patroni.js';
import { probeOrdersPresent, WriteProbe } from './write-probe.js';
import { PooledRows } from '../runtime/db-rows.js';

export interface DrillDeps {
  runtime: StackRuntime;
  stack: string;
  onProgress?: (p: DrillProgress) => void;
  /** Called at the moment of the fault (the run's event log marks it). */
  onFault?: (label: string) => void;
}

const WARMUP_MS = 2000;
/** The outage ends when writes have all succeeded for this long (bounded by STEADY_LIMIT_MS). */
const SETTLE_MS = 2000;
const STEADY_LIMIT_MS = 30_000;
const ELECTION_LIMIT_MS = 60_000;
const REJOIN_LIMIT_MS = 60_000;
const POLL_MS = 250;
const SYNC_STANDBY_WAIT_MS = 20_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const healthyReplica = (c: PatroniCluster) =>
  c.members.some((m) => m.name !== c.leader && ['running', 'streaming'].includes(m.state));

/** Checks that a drill can run, before anything changes. */
async function preflight(runtime: StackRuntime, stack: string, kind: DrillKind) {
  const status = await runtime.status(stack);
  if (!status.running || !status.topology || !status.entryUrl) throw new StackNotRunningError(stack);
  if (!status.topology.database.ha)
    throw new LabError(
      `a ${kind} needs Patroni, and database.ha is off`,
      'BAD_INPUT',
      'Switch it on first: `scalelab apply --set database.ha=true` (or bring up the ha preset).',
    );
  const synchronous = status.topology.database.synchronous;
  // On Swarm Patroni's REST API and the router are reached over the overlay (no task publishes a port).
  const overlay = runtime.overlayHttp(stack);
  const read = () => readCluster(patroniEndpoints(status.services, overlay));
  // In synchronous mode Patroni promotes (and hands over to) only its synchronous standby; it names
  // one on its next loop after a replica comes back, so wait for it a little.
  const cluster = synchronous
    ? ((await waitFor(SYNC_STANDBY_WAIT_MS, async () => {
        const c = await read();
        return c?.members.some((m) => m.role === 'sync_standby') ? c : null;
      })) ?? (await read()))
    : await read();
  if (synchronous && !cluster?.members.some((m) => m.role === 'sync_standby'))
    throw new LabError(
      'synchronous mode is on but Patroni has no synchronous standby yet',
      'BAD_INPUT',
      'Wait for a replica to catch up (`scalelab replication`) and try again.',
    );
  if (!cluster?.leader)
    throw new LabError(
      'the cluster has no leader now',
      'BAD_INPUT',
      'Wait for Patroni to elect one (`scalelab status`).',
    );
  if (!healthyReplica(cluster))
    throw new LabError(
      `no healthy replica to take over from ${cluster.leader}`,
      'BAD_INPUT',
      'Start the stopped replica (`scalelab up` heals the stack) and try again.',
    );
  const router = status.services.find(
    (s) => s.name === SERVICE.dbRouter && s.state === 'running' && (s.ports.db || overlay),
  );
  if (!router)
    throw new LabError(`${SERVICE.dbRouter} is not running`, 'BAD_INPUT', 'Run `scalelab up` to heal the stack.');
  return { status, cluster, router, synchronous, overlay };
}

async function waitFor<T>(limitMs: number, probe: () => Promise<T | null>): Promise<T | null> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const v = await probe().catch(() => null);
    if (v !== null) return v;
    await sleep(POLL_MS);
  }
  return null;
}

export async function runDrill(kind: DrillKind, deps: DrillDeps): Promise<DrillResult> {
  const { runtime, stack } = deps;
  const say = (step: DrillProgress['step'], message: string) => deps.onProgress?.({ step, message, at: Date.now() });
  const notes: string[] = [];
  const startedAt = Date.now();
  say('check', 'checking the stack: Patroni leader, a healthy replica, the router');
  const { status, cluster, router, synchronous, overlay } = await preflight(runtime, stack, kind);
  const oldLeader = cluster.leader!;
  const endpoints = () => runtime.services(stack).then((s) => patroniEndpoints(s, overlay));
  const timelineOf = (c: PatroniCluster | null) =>
    Math.max(0, ...(c?.members ?? []).map((m) => m.timeline ?? 0)) || null;

  const probe = new WriteProbe({ entryUrl: status.entryUrl! });
  probe.start();
  let faultAt = Date.now();
  let newLeader: string | null = null;
  let electedAfterMs: number | null = null;
  let rejoinedAfterMs: number | null = null;
  let after: PatroniCluster | null = null;
  try {
    say('writes', `writing orders through ${status.entryUrl} (40/s) before the ${kind}`);
    await sleep(WARMUP_MS);
    if (probe.acknowledgedSince(startedAt) === 0)
      throw new LabError(
        'no write was acknowledged before the drill: the stack is not taking writes',
        'BAD_INPUT',
        'Check `scalelab status` and the API logs; the drill measures a working stack.',
      );

    faultAt = Date.now();
    if (kind === 'failover') {
      say('fault', `killing the leader, ${oldLeader}`);
      deps.onFault?.(`failover drill: kill ${oldLeader}`);
      await runtime.fault(stack, oldLeader, 'kill');
    } else {
      say('fault', `asking Patroni to hand the leadership over from ${oldLeader}`);
      deps.onFault?.(`switchover drill: from ${oldLeader}`);
      await switchover(await endpoints(), oldLeader, undefined);
    }

    say('election', 'waiting for Patroni to promote a replica');
    after = await waitFor(ELECTION_LIMIT_MS, async () => {
      const c = await readCluster(await endpoints());
      return c?.leader && c.leader !== oldLeader ? c : null;
    });
    newLeader = after?.leader ?? null;
    electedAfterMs = newLeader ? Date.now() - faultAt : null;
    if (!newLeader) notes.push(`no new leader within ${ELECTION_LIMIT_MS / 1000} s`);
    else say('election', `${newLeader} leads after ${(electedAfterMs! / 1000).toFixed(1)} s`);

    say('recovery', 'waiting for writes to be acknowledged again');
    const recovered = await waitFor(ELECTION_LIMIT_MS, async () =>
      probe.acknowledgedSince(faultAt) > 0 ? true : null,
    );
    if (!recovered) notes.push('no write was acknowledged after the fault within the time limit');
    else if (!(await probe.steady(SETTLE_MS, STEADY_LIMIT_MS)))
      notes.push(
        `writes were not steady again within ${STEADY_LIMIT_MS / 1000} s of the first acknowledged (${probe.failuresSince(Date.now() - STEADY_LIMIT_MS)})`,
      );
  } finally {
    await probe.stop();
  }

  if (kind === 'failover') {
    say('rejoin', `starting ${oldLeader} again: Patroni brings it back as a replica (pg_rewind where needed)`);
    const rejoinFrom = Date.now();
    try {
      await runtime.fault(stack, oldLeader, 'start');
      const back = await waitFor(REJOIN_LIMIT_MS, async () => {
        const c = await readCluster(await endpoints());
        const m = c?.members.find((x) => x.name === oldLeader);
        return m && m.name !== c?.leader && ['running', 'streaming'].includes(m.state) ? c : null;
      });
      if (back) {
        rejoinedAfterMs = Date.now() - rejoinFrom;
        after = back;
      } else notes.push(`${oldLeader} did not come back as a replica within ${REJOIN_LIMIT_MS / 1000} s`);
    } catch (err) {
      notes.push(`${oldLeader} could not be started again: ${(err as Error).message}`);
    }
  }

  say('verify', 'counting the acknowledged orders present on the leader');
  // Read again: a promotion's new timeline shows once the member has reported it.
  after = (await readCluster(await endpoints()).catch(() => null)) ?? after;
  const { dbPassword } = await runtime.stackSecrets(stack);
  let lost: number[] | null = null;
  try {
    // Read through the router: on the leader, whichever node it is now.
    const pooled = router.ports.db ? new PooledRows(dbPassword, { statementTimeoutMs: 10_000 }) : null;
    try {
      const present = pooled
        ? await probeOrdersPresent(pooled.rows, router.ports.db, probe.clientId)
        : await probeOrdersPresent(
            runtime.overlayDbRows(stack, dbPassword)!,
            `${SERVICE.dbRouter}:5432`,
            probe.clientId,
          );
      lost = lostAcknowledged(probe.writes, present);
    } finally {
      await pooled?.close();
    }
  } catch (err) {
    notes.push(`the orders could not be read back: ${(err as Error).message}`);
  }
  const result: DrillResult = {
    kind,
    synchronous,
    oldLeader,
    newLeader,
    startedAt,
    faultAt,
    endedAt: Date.now(),
    electedAfterMs,
    writeOutageMs: writeOutageMs(probe.writes, faultAt),
    writes: writeCounts(probe.writes),
    lostAcknowledged: lost ? lost.length : null,
    lostIds: (lost ?? []).slice(0, 20),
    timeline: { before: timelineOf(cluster), after: timelineOf(after) },
    rejoinedAfterMs,
    notes,
  };
  say('done', `${kind} done`);
  return result;
}
