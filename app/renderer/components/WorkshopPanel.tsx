// Workshop mode: the stages as lessons, with one click to set the preset and start the suggested
// workload, and keyboard shortcuts for the instructor (shown on screen).
import { memo, useEffect } from 'react';
import { LESSONS, type Lesson } from '../lessons.js';

interface Props {
  stage: number;
  onStage: (stage: number) => void;
  onSetUp: (lesson: Lesson) => void;
  busy: boolean;
}

export const SHORTCUTS: Array<[string, string]> = [
  ['n', 'next stage'],
  ['p', 'previous stage'],
  ['s', 'start or stop load'],
  ['c', 'cache on or off'],
  ['f', 'presenter mode'],
];

function WorkshopPanelView({ stage, onStage, onSetUp, busy }: Props) {
  const lesson = LESSONS[stage - 1];
  return (
    <div className="panel workshop" data-testid="workshop">
      <div className="workshop-stages">
        {LESSONS.map((l) => (
          <button
            key={l.stage}
            className={l.stage === stage ? 'active' : ''}
            onClick={() => onStage(l.stage)}
            data-testid={`lesson-${l.stage}`}
          >
            {l.stage}. {l.title}
          </button>
        ))}
      </div>
      <h2 data-testid="lesson-title">
        Stage {lesson.stage}: {lesson.title}
      </h2>
      <p>{lesson.what}</p>
      <div className="workshop-cols">
        <div>
          <strong>Do</strong>
          <ol>
            {lesson.todo.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ol>
        </div>
        <div>
          <strong>Watch</strong>
          <ul>
            {lesson.watch.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </div>
      </div>
      <button className="primary" disabled={busy} onClick={() => onSetUp(lesson)} data-testid="lesson-setup">
        Set up stage {lesson.stage} ({lesson.preset}) and start {lesson.workload} at {lesson.rate}/s
      </button>
      <div className="hint">Keys: {SHORTCUTS.map(([k, what]) => `${k} ${what}`).join(' · ')}</div>
    </div>
  );
}

/** Single-key shortcuts, ignored while typing in a field. */
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

/** Re-renders only when its props change, not on every point of a run. */
export const WorkshopPanel = memo(WorkshopPanelView);
