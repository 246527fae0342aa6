// The stack and the run as one session for the whole console: the Lab view, the command palette
// and any other view act on the same state (and a run keeps streaming while another view is open).
import { createContext, useContext, type ReactNode } from 'react';
import { useRun } from './use-run.js';
import { useStack } from './use-stack.js';

interface LabSession {
  stack: ReturnType<typeof useStack>;
  run: ReturnType<typeof useRun>;
}

const Ctx = createContext<LabSession | null>(null);

export function LabSessionProvider({ children }: { children: ReactNode }) {
  const stack = useStack();
  const run = useRun();
  return <Ctx.Provider value={{ stack, run }}>{children}</Ctx.Provider>;
}

export function useLabSession(): LabSession {
  const s = useContext(Ctx);
  if (!s) throw new Error('useLabSession outside a LabSessionProvider');
  return s;
}
