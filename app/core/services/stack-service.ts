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

export interface StackServiceDeps {
  runtime: StackRuntime;
  stack: string;
  runs: RunController;
  progress: ProgressSink;
  /** Whether `reap` without allStacks may look at this stack only (always) or every stack. */
}

export function createStackApi({ runtime, stack, runs, progress }: StackServiceDeps): StackApi {
  return {
    presets: async () => structuredClone([...PRESETS]),
    status: () => runtime.status(stack),
    validate: async (req) => resolveTopology(req),
    preview: async (req) => {
      const current = await runtime.topology(stack);
      return current ? diff(current, resolveTopology(req, current)) : [];
    },
    up: (req) => runtime.up(stack, resolveTopology(req), progress),
    apply: async (req) => {
      // Validated before anything changes: a bad field refuses the whole request.
      resolveTopology(req);
      const res = await runtime.apply(stack, (current) => resolveTopology(req, current), progress);
      for (const c of res.changes) {
        runs.event('switch', `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`, c);
      }
      return res;
    },
    down: () => runtime.down(stack, progress),
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
      await runtime.fault(stack, service, kind);
      runs.event('fault', `${kind} ${service}`, { service, kind });
    },
    logs: ({ service, tail }) => runtime.logs(stack, service, tail),
    replication: () => runtime.replication(stack),
  };
}
