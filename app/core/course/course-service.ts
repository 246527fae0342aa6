// course.* of the Lab: the chapters, and the learner's progress kept in <data>/course/progress.json
// so it survives a restart of the console (and a change of the bridge's port, which a browser's
// storage would not). A damaged file is read as no progress and set aside, never a crash.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CourseApi } from '../../contract/lab-api.js';
import type { Chapter, CourseProgress, CourseRecord, Lesson } from '../../contract/course.js';
import { LabError } from '../runtime/errors.js';
import { CHAPTERS } from './chapters.js';

const progressSchema = z.object({
  lessons: z.record(
    z.string(),
    z.object({
      predicted: z.number().int().min(0).optional(),
      passedAt: z.number().optional(),
      observed: z.record(z.string(), z.number().nullable()).optional(),
    }),
  ),
  current: z.string().nullable(),
});

const EMPTY: CourseProgress = { lessons: {}, current: null };

export function findLesson(chapters: Chapter[], id: string): Lesson | undefined {
  for (const c of chapters) for (const l of c.lessons) if (l.id === id) return l;
  return undefined;
}

export class CourseProgressFile {
  constructor(private readonly dataDir: string) {}

  get file(): string {
    return path.join(this.dataDir, 'course', 'progress.json');
  }

  read(): CourseProgress {
    if (!existsSync(this.file)) return structuredClone(EMPTY);
    try {
      return progressSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      // Kept aside for whoever wants to look; the learner starts again rather than not at all.
      renameSync(this.file, `${this.file}.damaged-${Date.now()}`);
      return structuredClone(EMPTY);
    }
  }

  write(p: CourseProgress): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(p, null, 2)}\n`);
    renameSync(`${this.file}.tmp`, this.file);
  }
}

/** The progress after one record: a pure step, so the service only reads and writes around it. */
export function applyRecord(chapters: Chapter[], p: CourseProgress, r: CourseRecord): CourseProgress {
  if ('reset' in r) return structuredClone(EMPTY);
  const id = 'current' in r ? r.current : r.lesson;
  const lesson = findLesson(chapters, id);
  if (!lesson)
    throw new LabError(
      `There is no lesson "${id}".`,
      'BAD_INPUT',
      '`scalelab course` lists the chapters and their lessons.',
    );
  if ('current' in r) return { ...p, current: id };
  const before = p.lessons[id] ?? {};
  if ('predicted' in r) {
    if (r.predicted >= lesson.predict.choices.length)
      throw new LabError(
        `Lesson "${id}" has ${lesson.predict.choices.length} choices; ${r.predicted} is not one.`,
        'BAD_INPUT',
      );
    return { ...p, lessons: { ...p.lessons, [id]: { ...before, predicted: r.predicted } } };
  }
  return { ...p, lessons: { ...p.lessons, [id]: { ...before, passedAt: r.passedAt, observed: r.observed } } };
}

export function createCourseApi(dataDir: string, chapters: Chapter[] = CHAPTERS): CourseApi {
  const file = new CourseProgressFile(dataDir);
  return {
    async get() {
      return { chapters, progress: file.read() };
    },
    async record(r) {
      const next = applyRecord(chapters, file.read(), r);
      file.write(next);
      return next;
    },
  };
}
