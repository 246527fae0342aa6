// A TopologyRequest (a preset, a whole or partial topology, and --set style field changes) merged
// into one validated Topology: over the defaults for `up`, over the running topology for `apply`
// and `preview`. The merge is here once; hosts only pass the request along.
import type { TopologyRequest } from '../../contract/lab-api.js';
import { LabError } from '../../contract/errors.js';
import { DIFF_FIELDS } from './diff.js';
import { getPreset } from './presets.js';
import { parseTopology, type Topology } from './schema.js';

type Tree = Record<string, unknown>;
const isObject = (v: unknown): v is Tree => !!v && typeof v === 'object' && !Array.isArray(v);
const KNOWN = new Set(DIFF_FIELDS);

/** `over` laid on `base` at every depth (api.autoscale too), into prototype-free objects: a
 *  "__proto__" key from JSON is then a plain key, which the strict schema refuses. */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(over)) return over;
  const out: Tree = Object.create(null);
  if (isObject(base)) for (const [k, v] of Object.entries(base)) out[k] = merge(undefined, v);
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

/** preset, else `base` (the running topology), else the defaults; then `topology` at every depth; then `set`. */
export function resolveTopology(req: TopologyRequest, base?: Topology | null): Topology {
  const start: unknown = req.preset ? getPreset(req.preset).topology : (base ?? {});
  const over = req.topology ?? {};
  if (!isObject(over)) return parseTopology(over);
  const merged = merge(start, over) as Tree;
  for (const [field, value] of Object.entries(req.set ?? {})) {
    // Only fields the topology has: "constructor.x" or "__proto__.y" never reach an object.
    if (!KNOWN.has(field)) {
      throw new LabError(`unknown topology field "${field}"`, 'BAD_INPUT', `Fields: ${[...KNOWN].join(', ')}.`);
    }
    const path = field.split('.');
    let node = merged;
    for (const key of path.slice(0, -1)) {
      if (!isObject(node[key])) node[key] = Object.create(null);
      node = node[key] as Tree;
    }
    node[path[path.length - 1]] = value;
  }
  return parseTopology(JSON.parse(JSON.stringify(merged)));
}
