// The stack and the run as one session for the whole console: the Lab view, the command palette
// and the notices act on the same state (and a run keeps streaming while another view is open).
// Two contexts: the session (changes when the stack or the run does) and the run's points (a new
// value every second). Only the Lab view reads the points, so a point re-renders it alone: with
// one context, the palette and the notices re-rendered on every point and the console's frames
// went from 0.6% to half of them late at 20 points/s (npm run bench:console).
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { RunEvent, TimelinePoint } from '../../contract/runs.js';
import { useRun } from './use-run.js';
import { useStack } from './use-stack.js';

type Stack = ReturnType<typeof useStack>;
type Run = Omit<ReturnType<typeof useRun>, 'points' | 'events'>;

interface LabSession {
  stack: Stack;
  run: Run;
}

const SessionCtx = createContext<LabSession | null>(null);
const PointsCtx = createContext<{ points: TimelinePoint[]; events: RunEvent[] }>({ points: [], events: [] });

export function LabSessionProvider({ children }: { children: ReactNode }) {
  const s = useStack();
  const r = useRun();
  const stack = useMemo(
    () => s,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the fields, not the object made each render
    [s.status, s.progress, s.busy, s.error, s.act, s.retry, s.refresh],
  );
  const run = useMemo(
    (): Run => ({
      run: r.run,
      error: r.error,
      start: r.start,
      sweep: r.sweep,
      stop: r.stop,
      setRate: r.setRate,
      running: r.running,
    }),
    [r.run, r.error, r.start, r.sweep, r.stop, r.setRate, r.running],
  );
  const session = useMemo(() => ({ stack, run }), [stack, run]);
  const points = useMemo(() => ({ points: r.points, events: r.events }), [r.points, r.events]);
  return (
    <SessionCtx.Provider value={session}>
      <PointsCtx.Provider value={points}>{children}</PointsCtx.Provider>
    </SessionCtx.Provider>
  );
}

export function useLabSession(): LabSession {
  const s = useContext(SessionCtx);
  if (!s) throw new Error('useLabSession outside a LabSessionProvider');
  return s;
}

/** The current run's points and events (changes every second: the Lab view only). */
export function useRunPoints(): { points: TimelinePoint[]; events: RunEvent[] } {
  return useContext(PointsCtx);
}
