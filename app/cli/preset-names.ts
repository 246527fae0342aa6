// The preset names for --preset's choices, without loading the presets (and zod) for `--help`.
// A test checks this list against core's presets.
export const PRESET_NAMES = [
  'single-server',
  'three-tier',
  'load-balanced',
  'edge-cache',
  'app-cache',
  'read-replicas',
  'ha',
  'autoscaling',
  'connection-pooling',
  'sharding',
  'full',
] as const;
