// The composition root: config + runtime -> the LabApi every host serves.
import type { LabApi, LabEvents, TopologyRequest } from '../contract/lab-api.js';
import type { FaultKind } from '../contract/stack.js';
import { FAULT_KINDS } from '../contract/stack.js';
import { prepareApiBundle, resolveConfig, type LabConfig } from './config.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { LabError } from './runtime/errors.js';
import type { StackRuntime } from './runtime/stack-runtime.js';
import { diff } from './topology/diff.js';
import { getPreset, PRESETS } from './topology/presets.js';
import { parseTopology, type Topology } from './topology/schema.js';

type Listener<K extends keyof LabEvents> = (payload: LabEvents[K]) => void;

export interface Lab {
  api: LabApi;
  config: LabConfig;
  runtime: StackRuntime;
  on<K extends keyof LabEvents>(event: K, fn: Listener<K>): () => void;
}

/** Merges a preset (or the defaults) with the given fields, one level deep, then validates. */
export function resolveTopology(req: TopologyRequest): Topology {
  const base: Record<string, unknown> = req.preset ? structuredClone(getPreset(req.preset).topology) : {};
  const over = (req.topology ?? {}) as Record<string, unknown>;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return parseTopology(over);
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = merged[k];
    merged[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? { ...(b as object), ...(v as object) } : v;
  }
  return parseTopology(merged);
}

export function createLab(overrides: Partial<LabConfig> & { runtime?: StackRuntime; seed?: { products: number; orders: number } } = {}): Lab {
  const config = resolveConfig(overrides);
  const runtime = overrides.runtime ?? new DockerRuntime({
    stackDir: config.stackDir, dataDir: config.dataDir, appVersion: config.appVersion,
    prepareApiBundle: () => prepareApiBundle(config.stackDir), seed: overrides.seed,
  });
  const listeners = new Map<keyof LabEvents, Set<(p: unknown) => void>>();
  const emit = <K extends keyof LabEvents>(event: K, payload: LabEvents[K]) => listeners.get(event)?.forEach((fn) => fn(payload));
  const progress = (e: LabEvents['stack.progress']) => emit('stack.progress', e);
  const stack = config.stack;

  const api: LabApi = {
    stack: {
      presets: async () => structuredClone([...PRESETS]),
      status: () => runtime.status(stack),
      validate: async (req) => resolveTopology(req),
      preview: async (req) => {
        const current = (await runtime.status(stack)).topology;
        return current ? diff(current, resolveTopology(req)) : [];
      },
      up: (req) => runtime.up(stack, resolveTopology(req), progress),
      apply: (req) => runtime.apply(stack, resolveTopology(req), progress),
      down: () => runtime.down(stack, progress),
      fault: async ({ service, kind }) => {
        if (!FAULT_KINDS.includes(kind as FaultKind)) throw new LabError(`unknown fault "${kind}": one of ${FAULT_KINDS.join(', ')}`, 'BAD_FAULT');
        await runtime.fault(stack, service, kind);
      },
      logs: ({ service, tail }) => runtime.logs(stack, service, tail),
      replication: () => runtime.replication(stack),
    },
  };

  return {
    api, config, runtime,
    on(event, fn) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(fn as (p: unknown) => void);
      return () => set.delete(fn as (p: unknown) => void);
    },
  };
}
