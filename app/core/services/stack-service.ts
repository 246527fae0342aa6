// stack.*: topologies resolved once here (presets, fields, --set changes over what runs), then
// handed to the runtime. Switches and faults made while a run goes land in its event log.
import type { StackApi } from '../../contract/lab-api.js';
import { LabError } from '../../contract/errors.js';
import { FAULT_KINDS, type FaultKind } from '../../contract/stack.js';
import type { RunController } from '../runs/run-controller.js';
import type { ProgressSink, StackRuntime } from '../runtime/stack-runtime.js';
import { diff } from '../topology/diff.js';
import { PRESETS } from '../topology/presets.js';
import { resolveTopology } from '../topology/topology-request.js';
import type { StackFeed } from './stack-feed.js';

export interface StackServiceDeps {
  runtime: StackRuntime;
  stack: string;
  runs: RunController;
  progress: ProgressSink;
  /** Where this process says what it changed (the change log, and listeners here). */
  feed: StackFeed;
}

export function createStackApi({ runtime, stack, runs, progress, feed }: StackServiceDeps): StackApi {
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
      // Validated before anything changes: a bad field refuses the whole request.
      resolveTopology(req);
      const res = await feed.during(['*'], () =>
        runtime.apply(stack, (current) => resolveTopology(req, current), progress),
      );
      for (const c of res.changes) {
        const label = `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`;
        runs.event('switch', label, c);
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
    logs: ({ service, tail }) => runtime.logs(stack, service, tail),
    replication: () => runtime.replication(stack),
  };
}
