// Bringing a stack up: one row per service (and per image being built), with its phase and a bar.
import { memo } from 'react';
import type { StackProgress } from '../../contract/stack.js';

function ProgressListView({ progress }: { progress: Record<string, StackProgress> }) {
  const rows = Object.values(progress);
  if (!rows.length) return null;
  const pct = (p: StackProgress) => (p.progress !== undefined ? p.progress : p.phase === 'ready' || p.phase === 'update' || p.phase === 'remove' ? 1 : p.phase === 'health' ? 0.75 : p.phase === 'start' ? 0.5 : p.phase === 'create' ? 0.25 : 0);
  return (
    <div className="progress-list" data-testid="progress">
      {rows.map((p) => (
        <div className={`progress-row phase-${p.phase}`} key={p.service}>
          <span className="progress-name">{p.service}</span>
          <span className="progress-bar"><span style={{ width: `${Math.round(pct(p) * 100)}%` }} /></span>
          <span className="progress-msg">{p.phase}: {p.message}</span>
        </div>
      ))}
    </div>
  );
}

/** Re-renders only when its props change, not on every point of a run. */
export const ProgressList = memo(ProgressListView);
