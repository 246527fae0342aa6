// A scaling curve being measured, for the whole console: it takes minutes (a sweep per value), so
// its state lives above the views, and leaving the Capacity view and coming back shows it still
// going. Progress comes as the engine says it ('stack.progress' from the sweep) and as each step is
// judged (the sweep's 'sweep' markers).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CurveRequest, CurveResult, SweepMarker, SweepStep } from '../../contract/capacity.js';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import { useLab } from './use-lab.js';

export interface CurveSession {
  running: boolean;
  /** What the engine said last, newest last (applying a value, a step's verdict, a knee). */
  progress: string[];
  /** The steps of the sweep under way, as judged. */
  steps: SweepStep[];
  error: ErrorInfo | null;
  /** The curve measured last in this console (null until one ends). */
  result: CurveResult | null;
  measure: (req: CurveRequest) => Promise<void>;
}

const Ctx = createContext<CurveSession | null>(null);
const KEEP = 12;

export function CurveProvider({ children }: { children: ReactNode }) {
  const lab = useLab();
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<string[]>([]);
  const [steps, setSteps] = useState<SweepStep[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [result, setResult] = useState<CurveResult | null>(null);

  useEffect(() => {
    if (!running) return;
    const offs = [
      lab.on('stack.progress', (p) => {
        if (p.service !== 'sweep') return;
        setProgress((prev) => [...prev.slice(-(KEEP - 1)), p.message]);
        // Each value's sweep starts with the topology applied: its steps start afresh.
        if (p.message.endsWith(': applying')) setSteps([]);
      }),
      lab.on('run.event', (e) => {
        const m = e.kind === 'sweep' ? (e.detail as SweepMarker | undefined) : undefined;
        if (m?.phase === 'step') setSteps((prev) => [...prev, m.step]);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [lab, running]);

  const measure = useCallback(
    async (req: CurveRequest) => {
      setRunning(true);
      setError(null);
      setProgress([]);
      setSteps([]);
      try {
        setResult(await lab.api.capacity.curve(req));
      } catch (err) {
        setError(errorInfo(err));
      } finally {
        setRunning(false);
      }
    },
    [lab],
  );
  const value = useMemo(
    () => ({ running, progress, steps, error, result, measure }),
    [running, progress, steps, error, result, measure],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useCurve(): CurveSession {
  const c = useContext(Ctx);
  if (!c) throw new Error('useCurve outside a CurveProvider');
  return c;
}
