// A TopologyRequest (a preset, a whole or partial topology, and --set style field changes) merged
// into one validated Topology: over the defaults for `up`, over the running topology for `apply`
// and `preview`. The merge is here once; hosts only pass the request along.
import type { TopologyRequest } from '../../contract/lab-api.js';
import { LabError } from '../../contract/errors.js';
import { DIFF_FIELDS } from './diff.js';
import { getPreset } from './presets.js';
import { parseTopology, type Topology } from './schema.js';

type Sections = Record<string, Record<string, unknown>>;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const KNOWN = new Set(DIFF_FIELDS);

/** preset, else `base` (the running topology), else the defaults; then `topology` one level deep; then `set`. */
export function resolveTopology(req: TopologyRequest, base?: Topology | null): Topology {
  const start: unknown = req.preset ? getPreset(req.preset).topology : (base ?? {});
  const over = req.topology ?? {};
  if (!isObject(over)) return parseTopology(over);
  const merged: Sections = Object.create(null);
  for (const [k, v] of Object.entries(start as Sections)) merged[k] = isObject(v) ? { ...v } : (v as never);
  for (const [k, v] of Object.entries(over)) {
    const b = merged[k];
    merged[k] = isObject(v) && isObject(b) ? { ...b, ...v } : (v as never);
  }
  for (const [field, value] of Object.entries(req.set ?? {})) {
    // Only fields the topology has: "constructor.x" or "__proto__.y" never reach an object.
    if (!KNOWN.has(field)) {
      throw new LabError(`unknown topology field "${field}"`, 'BAD_INPUT', `Fields: ${[...KNOWN].join(', ')}.`);
    }
    const [section, key] = field.split('.');
    const s = isObject(merged[section]) ? { ...merged[section] } : {};
    s[key] = value;
    merged[section] = s;
  }
  return parseTopology({ ...merged });
}
