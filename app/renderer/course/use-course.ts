// The course as the console sees it: the chapters and the progress the engine keeps, the lesson
// open, and a check that watches the run's points from the moment it starts until it passes
// (the pass is recorded at once, so a restart of the console keeps it).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Chapter, CourseProgress, CourseRecord, Lesson } from '../../contract/course.js';
import { errorInfo, type ErrorInfo } from '../../contract/errors.js';
import type { TimelinePoint } from '../../contract/runs.js';
import type { Topology } from '../../contract/topology.js';
import { useLab } from '../hooks/use-lab.js';
import { evaluateCheck, observedFigures, type CheckState } from './lesson-check.js';

export interface CourseLesson {
  chapter: Chapter;
  lesson: Lesson;
  /** Its place in the whole course, from 0. */
  index: number;
}

export function flattenLessons(chapters: Chapter[]): CourseLesson[] {
  return chapters
    .flatMap((chapter) => chapter.lessons.map((lesson) => ({ chapter, lesson })))
    .map((l, index) => ({ ...l, index }));
}

export function useCourse() {
  const lab = useLab();
  const [chapters, setChapters] = useState<Chapter[]>([]);
  const [progress, setProgress] = useState<CourseProgress>({ lessons: {}, current: null });
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    lab.api.course.get().then(
      (c) => {
        setChapters(c.chapters);
        setProgress(c.progress);
      },
      (e: unknown) => setError(errorInfo(e)),
    );
  }, [lab]);
  const record = useCallback(
    (r: CourseRecord) =>
      lab.api.course.record(r).then(
        (p) => {
          setProgress(p);
          setError(null);
        },
        (e: unknown) => setError(errorInfo(e)),
      ),
    [lab],
  );
  const lessons = useMemo(() => flattenLessons(chapters), [chapters]);
  const open = lessons.find((l) => l.lesson.id === progress.current) ?? lessons[0] ?? null;
  const go = useCallback(
    (step: number) => {
      const to = lessons[Math.max(0, Math.min(lessons.length - 1, (open?.index ?? 0) + step))];
      if (to && to !== open) void record({ current: to.lesson.id });
    },
    [lessons, open, record],
  );
  const passed = lessons.filter((l) => progress.lessons[l.lesson.id]?.passedAt).length;
  return { chapters, lessons, progress, open, record, go, passed, error };
}

/** The open lesson's check, watching from `since` (null: not started). */
export function useLessonCheck(
  lesson: Lesson | null,
  points: readonly TimelinePoint[],
  topology: Topology | null,
  onPass: (passedAt: number, observed: Record<string, number | null>) => void,
) {
  const [since, setSince] = useState<number | null>(null);
  // A check belongs to its lesson: moving on stops it.
  useEffect(() => setSince(null), [lesson?.id]);
  const state: CheckState | null = useMemo(
    () => (lesson && since !== null ? evaluateCheck(lesson.check, points, since, topology, Date.now()) : null),
    [lesson, points, since, topology],
  );
  const recorded = useRef<number | null>(null);
  useEffect(() => {
    if (state?.status === 'passed' && state.passedAt !== recorded.current) {
      recorded.current = state.passedAt;
      onPass(state.passedAt!, observedFigures(state));
    }
  }, [state, onPass]);
  const start = useCallback(() => setSince(Date.now()), []);
  const stop = useCallback(() => setSince(null), []);
  return { state, since, start, stop };
}
