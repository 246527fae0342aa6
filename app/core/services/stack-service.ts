// stack.*: topologies resolved once here (presets, fields, --set changes over what runs), then
// handed to the runtime. Switches and faults made while a run goes land in its event log.
import type { StackApi } from '../../contract/lab-api.js';
import { LabError } from '../../contract/errors.js';
import {
  DRILL_KINDS,
  FAULT_KINDS,
  type DrillResult,
  type FaultKind,
  type QueryPlan,
  type RestoreResult,
} from '../../contract/stack.js';
import { SERVICE } from '../../contract/services.js';
import { explainTopProducts } from '../database/query-plan.js';
import { runDrill } from '../database/failover-drill.js';
import { runRestoreDrill } from '../database/restore-drill.js';
import { StackNotRunningError } from '../runtime/errors.js';
import type { RunController } from '../runs/run-controller.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import { diff } from '../topology/diff.js';
import { PRESETS } from '../topology/presets.js';
import { resolveTopology } from '../topology/topology-request.js';
import type { StackFeed } from './stack-feed.js';
import type { ApplyLock } from './apply-lock.js';
import { createDeploy } from './deploy-service.js';

export interface StackServiceDeps {
  runtime: StackRuntime;
  stack: string;
  runs: RunController;
  progress: ProgressSink;
  /** Where this process says what it changed (the change log, and listeners here). */
  feed: StackFeed;
  /** One topology change at a time (applies, deploys, the autoscaler). */
  lock: ApplyLock;
}

export function createStackApi({ runtime, stack, runs, progress, feed, lock }: StackServiceDeps): StackApi {
  const explain = async (category = 1): Promise<QueryPlan> => {
    const primary = (await runtime.services(stack)).find((s) => s.name === SERVICE.primary);
    if (!primary || primary.state !== 'running') throw new StackNotRunningError(stack);
    return explainTopProducts(runtime, stack, category);
  };
  /** Whether a request changes the indexes of the running stack (its plan is then kept before and after). */
  const changesIndexes = async (req: Parameters<StackApi['apply']>[0]) => {
    const current = await runtime.topology(stack);
    return !!current && current.database.indexes !== resolveTopology(req, current).database.indexes;
  };
  let drilling = false;
  /** One drill at a time: each one kills, stops or restores the database. */
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (drilling) throw new LabError('a drill is already running', 'BAD_INPUT', 'Wait for it to finish.');
    drilling = true;
    try {
      return await fn();
    } finally {
      drilling = false;
    }
  };
  const drill = async (kind: DrillResult['kind']): Promise<DrillResult> => {
    if (!DRILL_KINDS.includes(kind))
      throw new LabError(`unknown drill "${kind}"`, 'BAD_INPUT', `One of ${DRILL_KINDS.join(', ')}.`);
    return exclusive(async () => {
      const result = await feed.during(['*'], () =>
        runDrill(kind, {
          runtime,
          stack,
          onProgress: (p) => progress({ service: `${kind} drill`, phase: 'update', message: p.message, at: p.at }),
          onFault: (label) => runs.event('fault', label, { drill: kind }),
        }),
      );
      const label = drillSummary(result);
      runs.event('drill', label, result);
      feed.changed({ kind: 'fault', label, detail: result, services: [result.oldLeader] });
      return result;
    });
  };
  const restoreDrill = () =>
    exclusive(async () => {
      const result = await feed.during(['*'], () =>
        runRestoreDrill({
          runtime,
          stack,
          onProgress: (p) => progress({ service: 'restore drill', phase: 'update', message: p.message, at: p.at }),
          onStackProgress: progress,
          onFault: (label) => runs.event('fault', label, { drill: 'restore' }),
        }),
      );
      const label = restoreSummary(result);
      runs.event('drill', label, { kind: 'restore', ...result });
      feed.changed({ kind: 'fault', label, detail: result, services: [SERVICE.primary] });
      return result;
    });
  return {
    presets: async () => structuredClone([...PRESETS]),
    status: () => runtime.status(stack),
    validate: async (req) => resolveTopology(req),
    preview: async (req) => {
      const current = await runtime.topology(stack);
      return current ? diff(current, resolveTopology(req, current)) : [];
    },
    up: (req) => {
      const topology = resolveTopology(req);
      return feed.during(['*'], () => runtime.up(stack, topology, progress));
    },
    apply: async (req) => {
      // Validated before anything changes, over what runs (a field may need another one already
      // on, as synchronous needs ha): a bad field refuses the whole request.
      resolveTopology(req, await runtime.topology(stack));
      // An index switch keeps the expensive read's plan from before and after it, for the report.
      const indexing = await changesIndexes(req);
      const before = indexing ? await explain().catch(() => null) : null;
      const fields = Object.keys(req.set ?? {}).join(', ') || 'a topology';
      const res = await lock.exclusive(fields, () =>
        feed.during(['*'], () => runtime.apply(stack, (current) => resolveTopology(req, current), progress)),
      );
      const after = indexing ? await explain().catch(() => null) : null;
      for (const c of res.changes) {
        const label = switchLabel(c);
        // The plans before and after an index switch, and what a re-sharding moved, for the report.
        const detail =
          c.field === 'database.indexes'
            ? { ...c, plans: { before, after } }
            : /^database\.shard/.test(c.field) && res.rebalance
              ? { ...c, rebalance: res.rebalance }
              : c;
        runs.event('switch', label, detail);
        feed.changed({ kind: 'switch', label, detail: c, services: c.services });
      }
      return res;
    },
    down: async () => {
      await feed.during(['*'], () => runtime.down(stack, progress));
      feed.forget();
    },
    images: async (req) => {
      const topology = resolveTopology(req);
      await runtime.ping();
      return runtime.prepareImages(topology, progress);
    },
    reap: ({ allStacks }) => runtime.reap(allStacks ? undefined : stack),
    fault: async ({ service, kind }) => {
      if (!FAULT_KINDS.includes(kind as FaultKind)) {
        throw new LabError(`unknown fault "${kind}"`, 'BAD_INPUT', `One of ${FAULT_KINDS.join(', ')}.`);
      }
      // Announced from the start: the engine's events for it may arrive before the call returns.
      await feed.during([service], () => runtime.fault(stack, service, kind));
      runs.event('fault', `${kind} ${service}`, { service, kind });
      feed.changed({ kind: 'fault', label: `${kind} ${service}`, detail: { service, kind }, services: [service] });
    },
    node: async ({ hostname, availability }) => {
      // A marker where the node went, and one where it came back, on the run's charts.
      const label = `${availability === 'drain' ? 'drain' : 'activate'} node ${hostname}`;
      const res = await runtime.setNodeAvailability(stack, hostname, availability, progress);
      runs.event('fault', label, { node: hostname, availability, movedTasks: res.movedTasks });
      feed.changed({ kind: 'fault', label, detail: { node: hostname, availability }, services: [] });
      return { hostname, availability, ...res };
    },
    logs: ({ service, tail }) => runtime.logs(stack, service, tail),
    replication: () => runtime.replication(stack),
    explain: (req) => explain(req?.category),
    drill: ({ kind }) => drill(kind),
    backups: () => runtime.backups(stack),
    backup: () => exclusive(() => feed.during([SERVICE.primary], () => runtime.backup(stack, progress))),
    restoreDrill,
    versions: () => runtime.versions(),
    buildVersion: ({ name, latencyMs = 0, errorRate = 0 }) =>
      runtime.buildVersion(name, { latencyMs, errorRate }, progress),
    deploy: createDeploy({ runtime, stack, runs, progress, feed, lock }),
    purge: async ({ path }) => {
      const entries = await runtime.purgeEdge(stack, path);
      const label = `edge purged: ${path ?? 'everything'} (${entries} ${entries === 1 ? 'entry' : 'entries'})`;
      runs.event('note', label, { path: path ?? null, entries });
      return { path: path ?? null, entries };
    },
  };
}

/** A switch as the event log and the change log name it: `field: from → to`. */
const switchLabel = (c: { field: string; from: unknown; to: unknown }) =>
  `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`;

export function restoreSummary(r: RestoreResult): string {
  const s = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  return `restore to ${r.target}: writes out ${s(r.writeOutageMs)}, ${r.beforeTarget.present}/${r.beforeTarget.acknowledged} orders before the point back, ${r.afterTarget.present}/${r.afterTarget.acknowledged} after it`;
}

/** One line for the event log: who led before and after, the outage and what was lost. */
export function drillSummary(r: DrillResult): string {
  const s = (ms: number | null) => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
  const lost = r.lostAcknowledged === null ? 'not counted' : `${r.lostAcknowledged} lost`;
  return `${r.kind}: ${r.oldLeader} → ${r.newLeader ?? 'none'}, writes out ${s(r.writeOutageMs)}, ${r.writes.acknowledged} acknowledged, ${lost}`;
}

/** The autoscaler's hand on the stack: api.instances applied like a switch (logged for other
 *  processes, the services announced as this process's own), settling once they serve. */
export function apiScaler({ runtime, stack, progress, feed, lock }: Omit<StackServiceDeps, 'runs'>) {
  return async (instances: number): Promise<void> => {
    const res = await lock.exclusive("the autoscaler's rescale", () =>
      feed.during(['*'], () =>
        runtime.apply(stack, (current) => ({ ...current, api: { ...current.api, instances } }), progress),
      ),
    );
    for (const c of res.changes) {
      const label = `${switchLabel(c)} (autoscaler)`;
      feed.changed({ kind: 'switch', label, detail: c, services: c.services });
    }
  };
}
