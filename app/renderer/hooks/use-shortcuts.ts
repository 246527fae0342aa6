// Single-key shortcuts for the instructor, ignored while typing in a field or with a modifier held.
import { useEffect } from 'react';

export function useShortcuts(handlers: Record<string, () => void>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (el && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName))) return;
      handlers[e.key]?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers]);
}
