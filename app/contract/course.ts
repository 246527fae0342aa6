// The course: chapters that follow the scaling guide's path, each lesson with a goal, steps, what
// to watch, the expected result, a question to answer before looking, and a check read from the
// live timeline that says when the step worked. Progress is kept by the engine (data folder).
import type { FAMILY } from './series.js';

export type CheckOp = '>=' | '<=';

/** One thing a check needs, read from one second of the timeline or from the running topology. */
export type CheckCondition =
  /** One series: `load.rps >= 35`. */
  | { kind: 'series'; series: string; op: CheckOp; value: number; label: string }
  /** A family's values taken together: `count` is how many names are above zero. Only names
   *  starting with `prefix` when it is given (`db-replica-`). */
  | {
      kind: 'family';
      family: keyof typeof FAMILY;
      agg: 'sum' | 'count' | 'max';
      prefix?: string;
      op: CheckOp;
      value: number;
      label: string;
    }
  /** A field of the running topology, by path: `database.readYourWrites` is true. */
  | { kind: 'topology'; path: string; equals: string | number | boolean; label: string };

/** Passes when every condition holds for `holdSeconds` seconds in a row, within `withinSeconds`
 *  of the check starting. */
export interface LessonCheck {
  describe: string;
  conditions: CheckCondition[];
  holdSeconds: number;
  withinSeconds: number;
}

/** Asked before the learner looks: a guess, then the measured answer and why. */
export interface PredictQuestion {
  question: string;
  choices: string[];
  answer: number;
  why: string;
}

export interface Lesson {
  id: string;
  title: string;
  goal: string;
  /** The stage preset and workload that "Set up" brings up and starts. */
  preset: string;
  workload: string;
  /** Requests/s held constant; null: the workload's own rate profile (the spike's). */
  rate: number | null;
  steps: string[];
  watch: string[];
  expected: string;
  predict: PredictQuestion;
  check: LessonCheck;
}

export interface Chapter {
  id: string;
  number: number;
  title: string;
  summary: string;
  lessons: Lesson[];
}

export interface LessonProgress {
  /** The choice the learner predicted (index), before looking. */
  predicted?: number;
  /** When the lesson's check passed, and what it read then. */
  passedAt?: number;
  observed?: Record<string, number | null>;
}

export interface CourseProgress {
  lessons: Record<string, LessonProgress>;
  /** The lesson open last, to come back to it. */
  current: string | null;
}

export interface CourseState {
  chapters: Chapter[];
  progress: CourseProgress;
}

/** What the console records: a prediction, a passed check, the lesson open; or everything forgotten. */
export type CourseRecord =
  | { lesson: string; predicted: number }
  | { lesson: string; passedAt: number; observed: Record<string, number | null> }
  | { current: string }
  | { reset: true };
