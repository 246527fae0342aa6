// The console's settings, kept in the browser's storage (the Electron window's too) so they
// survive a restart. Read defensively: a stored value that is not one of ours is ignored.
import type { EngineKind } from '../../contract/load.js';

export type Appearance = 'system' | 'light' | 'dark';

export interface Settings {
  appearance: Appearance;
  /** The engine the run controls start with. */
  defaultEngine: EngineKind;
  /** The workload the run controls start with (a shipped name). */
  defaultWorkload: string;
  /** The first-run tour was seen (finished or skipped); the palette shows it again. */
  tourSeen: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  appearance: 'system',
  defaultEngine: 'builtin',
  defaultWorkload: 'read-heavy',
  tourSeen: false,
};

const KEY = 'scalelab.settings';

export function readSettings(storage: Pick<Storage, 'getItem'> | undefined): Settings {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
  } catch {
    // unreadable: the defaults
  }
  const pick = <T>(v: unknown, ok: (x: unknown) => x is T, fallback: T): T => (ok(v) ? v : fallback);
  return {
    appearance: pick(
      stored.appearance,
      (x): x is Appearance => x === 'system' || x === 'light' || x === 'dark',
      DEFAULT_SETTINGS.appearance,
    ),
    defaultEngine: pick(
      stored.defaultEngine,
      (x): x is EngineKind => x === 'builtin' || x === 'k6',
      DEFAULT_SETTINGS.defaultEngine,
    ),
    defaultWorkload: pick(
      stored.defaultWorkload,
      (x): x is string => typeof x === 'string' && /^[\w-]{1,64}$/.test(x),
      DEFAULT_SETTINGS.defaultWorkload,
    ),
    tourSeen: pick(stored.tourSeen, (x): x is boolean => typeof x === 'boolean', DEFAULT_SETTINGS.tourSeen),
  };
}

export function writeSettings(storage: Pick<Storage, 'setItem'> | undefined, s: Settings): void {
  try {
    storage?.setItem(KEY, JSON.stringify(s));
  } catch {
    // storage full or denied: the settings hold for this session only
  }
}
