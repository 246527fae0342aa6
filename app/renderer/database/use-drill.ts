// One drill (or backup) at a time from a card: which is running, the step it reports through the
// stack's progress events, and its error, shown instead of thrown into React.
import { useEffect, useState } from 'react';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import { useLab } from '../hooks/use-lab.js';

export function useDrill<K extends string>(progressOf: (service: string) => boolean) {
  const lab = useLab();
  const [busy, setBusy] = useState<K | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => lab.on('stack.progress', (p) => progressOf(p.service) && setStep(p.message)), [lab, progressOf]);
  /** Runs `fn` as `kind`; false when it failed (its error is then shown). */
  const run = async (kind: K, fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(kind);
    setError(null);
    setStep(null);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(errorInfo(err));
      return false;
    } finally {
      setBusy(null);
      setStep(null);
    }
  };
  return { lab, busy, step, error, setError, run };
}
