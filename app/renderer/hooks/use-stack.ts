// The stack as the UI sees it: status (polled), progress per service (pushed), and actions that
// report their errors instead of throwing into React.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import type { StackProgress, StackStatus } from '../../contract/stack.js';
import { useLab } from './use-lab.js';

const FALLBACK_POLL_MS = 15_000;

export function useStack() {
  const lab = useLab();
  const [status, setStatus] = useState<StackStatus | null>(null);
  const [progress, setProgress] = useState<Record<string, StackProgress>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const st = await lab.api.stack.status();
      // The same status polled again keeps its identity: the page does not re-render every 2 s for nothing.
      if (alive.current) setStatus((prev) => (prev && JSON.stringify(prev) === JSON.stringify(st) ? prev : st));
    } catch (err) {
      if (alive.current) setError(errorInfo(err));
    }
  }, [lab]);

  useEffect(() => {
    alive.current = true;
    void refresh();
    // The engine pushes the status when the stack changes (Docker's events); a slow poll stays as
    // a fallback (an engine that went away pushes nothing).
    const timer = setInterval(() => void refresh(), FALLBACK_POLL_MS);
    const offProgress = lab.on('stack.progress', (p) => setProgress((prev) => ({ ...prev, [p.service]: p })));
    const offStatus = lab.on('stack.status', (st) => {
      if (!alive.current) return;
      setStatus((prev) => (prev && JSON.stringify(prev) === JSON.stringify(st) ? prev : st));
    });
    return () => {
      alive.current = false;
      clearInterval(timer);
      offProgress();
      offStatus();
    };
  }, [lab, refresh]);

  /** The last action that failed, so the error's notice can offer to try it again. */
  const failed = useRef<{ label: string; fn: () => Promise<unknown> } | null>(null);

  /** Runs one stack action at a time; its error is shown, the UI stays usable. True when it worked. */
  const act = useCallback(
    async (label: string, fn: () => Promise<unknown>): Promise<boolean> => {
      failed.current = null;
      setBusy(label);
      setError(null);
      if (label === 'up') setProgress({});
      try {
        await fn();
        return true;
      } catch (err) {
        failed.current = { label, fn };
        setError(errorInfo(err));
        return false;
      } finally {
        setBusy(null);
        void refresh();
      }
    },
    [refresh],
  );
  const retry = useCallback(() => {
    const last = failed.current;
    if (last) void act(last.label, last.fn);
  }, [act]);

  return { status, progress, busy, error, act, retry, refresh, clearError: () => setError(null) };
}
