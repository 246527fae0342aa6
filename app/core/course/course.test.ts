import { mkdtempSync, readdirSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckCondition } from '../../contract/course.js';
import { FAMILY, SERIES } from '../../contract/series.js';
import { resolveConfig } from '../config.js';
import { getPreset } from '../topology/presets.js';
import { CHAPTERS } from './chapters.js';
import { applyRecord, createCourseApi, CourseProgressFile } from './course-service.js';

const lessons = CHAPTERS.flatMap((c) => c.lessons);
const workloads = readdirSync(path.join(resolveConfig().loadScriptsDir, 'workloads')).map((f) =>
  f.replace(/\.json$/, ''),
);
/** Series keys built from a family or a multi-field builder: `lb.<service>.up` and the like. */
const BUILT_KEY = /^(lb|lag|container)\.[\w-]+\.[a-z_]+$|^load\.latency\.[A-Z_]+\.p(50|95|99)$/;

function knownSeries(c: CheckCondition): boolean {
  if (c.kind !== 'series') return true;
  return (
    (Object.values(SERIES) as string[]).includes(c.series) ||
    BUILT_KEY.test(c.series) ||
    Object.values(FAMILY).some((f) => f.nameOf(c.series) !== null)
  );
}

describe('the course', () => {
  it('numbers its chapters 1..n in the guide\u2019s order, lesson ids unique and prefixed by their chapter', () => {
    expect(CHAPTERS.map((c) => c.number)).toEqual(CHAPTERS.map((_, i) => i + 1));
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    for (const c of CHAPTERS) for (const l of c.lessons) expect(l.id.startsWith(`${c.id}.`)).toBe(true);
  });

  it.each(lessons.map((l) => [l.id, l] as const))('%s names a preset, a workload and series that exist', (_, l) => {
    const preset = getPreset(l.preset);
    expect(workloads).toContain(l.workload);
    expect(l.predict.answer).toBeLessThan(l.predict.choices.length);
    expect(l.check.conditions.length).toBeGreaterThan(0);
    expect(l.check.holdSeconds).toBeLessThanOrEqual(l.check.withinSeconds);
    for (const c of l.check.conditions) {
      expect(knownSeries(c), `${l.id}: ${JSON.stringify(c)}`).toBe(true);
      if (c.kind === 'family') expect(Object.keys(FAMILY)).toContain(c.family);
      if (c.kind === 'topology') {
        // The path must exist in the lesson's topology (its value may differ: the learner changes it).
        const at = c.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], preset.topology);
        expect(at, `${l.id}: ${c.path}`).not.toBeUndefined();
      }
    }
  });
});

describe('course progress', () => {
  const id = lessons[0].id;

  it('records a prediction, a pass and the lesson open; reset forgets everything', () => {
    let p = applyRecord(CHAPTERS, { lessons: {}, current: null }, { lesson: id, predicted: 1 });
    p = applyRecord(CHAPTERS, p, { lesson: id, passedAt: 5, observed: { 'requests/s answered': 40 } });
    p = applyRecord(CHAPTERS, p, { current: id });
    expect(p).toEqual({
      lessons: { [id]: { predicted: 1, passedAt: 5, observed: { 'requests/s answered': 40 } } },
      current: id,
    });
    expect(applyRecord(CHAPTERS, p, { reset: true })).toEqual({ lessons: {}, current: null });
  });

  it('refuses an unknown lesson or a choice the question does not have, naming it', () => {
    const p = { lessons: {}, current: null };
    expect(() => applyRecord(CHAPTERS, p, { current: 'nope' })).toThrow(/no lesson "nope"/);
    expect(() => applyRecord(CHAPTERS, p, { lesson: id, predicted: 7 })).toThrow(/7 is not one/);
  });

  it('survives a restart: kept in the data folder, read back by a new service', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-course-'));
    await createCourseApi(dir).record({ lesson: id, predicted: 2 });
    const again = await createCourseApi(dir).get();
    expect(again.progress.lessons[id]).toEqual({ predicted: 2 });
    expect(again.chapters).toBe(CHAPTERS);
  });

  it('sets a damaged file aside and starts again, never failing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-course-'));
    const file = new CourseProgressFile(dir).file;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"lessons": 42');
    expect((await createCourseApi(dir).get()).progress).toEqual({ lessons: {}, current: null });
    const aside = readdirSync(path.dirname(file)).find((f) => f.startsWith('progress.json.damaged-'));
    expect(aside && readFileSync(path.join(path.dirname(file), aside), 'utf8')).toBe('{"lessons": 42');
  });
});
