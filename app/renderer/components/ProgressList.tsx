// Bringing a stack up or changing it: one row per service (and per image being built), with its
// phase and a bar. While the action runs the rows are open; once it is over they fold into one
// line saying how it went (open when something failed), so old progress does not look current.
import { memo } from 'react';
import type { StackProgress } from '../../contract/stack.js';

const FINAL = new Set(['ready', 'update', 'remove']);
const pct = (p: StackProgress) =>
  p.progress !== undefined
    ? p.progress
    : FINAL.has(p.phase)
      ? 1
      : p.phase === 'health'
        ? 0.75
        : p.phase === 'start'
          ? 0.5
          : p.phase === 'create'
            ? 0.25
            : 0;

function ProgressListView({ progress, busy }: { progress: Record<string, StackProgress>; busy: string | null }) {
  const rows = Object.values(progress);
  if (!rows.length) return null;
  const list = rows.map((p) => (
    <div
      className={`progress-row phase-${p.phase}${!busy && FINAL.has(p.phase) ? ' progress-done' : ''}`}
      key={p.service}
    >
      <span className="progress-name">{p.service}</span>
      <span className="progress-bar">
        <span style={{ width: `${Math.round(pct(p) * 100)}%` }} />
      </span>
      <span className="progress-msg">
        {p.phase}: {p.message}
      </span>
    </div>
  ));
  if (busy)
    return (
      <div className="progress-list" data-testid="progress" data-busy={busy}>
        {list}
      </div>
    );
  const failed = rows.filter((p) => p.phase === 'error').length;
  return (
    <details className="progress-list" data-testid="progress" open={failed > 0}>
      <summary className={failed ? 'error' : ''}>
        last change: {failed ? `${failed} of ${rows.length} failed` : `${rows.length} done`}
      </summary>
      {list}
    </details>
  );
}

/** Re-renders only when its props change, not on every point of a run. */
export const ProgressList = memo(ProgressListView);
