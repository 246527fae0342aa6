// Settings as React context, and the appearance they resolve to: 'system' follows the operating
// system's light or dark preference, live.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { readSettings, writeSettings, type Settings } from './settings.js';

interface SettingsContext {
  settings: Settings;
  update(patch: Partial<Settings>): void;
}

const storage = () => (typeof localStorage === 'undefined' ? undefined : localStorage);
const Ctx = createContext<SettingsContext>({ settings: readSettings(undefined), update: () => undefined });

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState(() => readSettings(storage()));
  const value = useMemo(
    () => ({
      settings,
      update: (patch: Partial<Settings>) =>
        setSettings((prev) => {
          const next = { ...prev, ...patch };
          writeSettings(storage(), next);
          return next;
        }),
    }),
    [settings],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSettings(): SettingsContext {
  return useContext(Ctx);
}

/** 'light' or 'dark': the setting, or the operating system's preference when it says 'system'. */
export function useResolvedAppearance(): 'light' | 'dark' {
  const { appearance } = useSettings().settings;
  const query = useMemo(
    () => (typeof matchMedia === 'undefined' ? null : matchMedia('(prefers-color-scheme: dark)')),
    [],
  );
  const [systemDark, setSystemDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    query.addEventListener('change', on);
    // A change between the first render and this listener would otherwise be missed.
    setSystemDark(query.matches);
    return () => query.removeEventListener('change', on);
  }, [query]);
  return appearance === 'system' ? (systemDark ? 'dark' : 'light') : appearance;
}
