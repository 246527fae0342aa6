// Settings as React context, and the appearance they resolve to: 'system' follows the operating
// system's light or dark preference, live.
import { createContext, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
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

const DARK = '(prefers-color-scheme: dark)';
const darkQuery = () => (typeof matchMedia === 'undefined' ? null : matchMedia(DARK));
const subscribeDark = (onChange: () => void) => {
  const query = darkQuery();
  query?.addEventListener('change', onChange);
  return () => query?.removeEventListener('change', onChange);
};
// Read at every render, not only on the change event: a CI run's Chromium once never delivered
// the event, and any render (a click) must still show the system's current preference.
const systemIsDark = () => darkQuery()?.matches ?? false;

/** 'light' or 'dark': the setting, or the operating system's preference when it says 'system'. */
export function useResolvedAppearance(): 'light' | 'dark' {
  const { appearance } = useSettings().settings;
  const systemDark = useSyncExternalStore(subscribeDark, systemIsDark, () => false);
  return appearance === 'system' ? (systemDark ? 'dark' : 'light') : appearance;
}
