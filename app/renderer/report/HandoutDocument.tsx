// A chapter of the course on paper, for a workshop: each lesson's goal, the question to answer
// before looking (with room to write), the steps, what to watch and how to know it worked. The
// answers come last, on a page of their own, so a learner predicts before reading them.
import type { Chapter, CheckCondition, Lesson } from '../../contract/course.js';
import type { HandoutModel } from '../../contract/reports.js';

export const handoutTitle = (c: Chapter) => `ScaleLab · Chapter ${c.number}: ${c.title}`;

export function conditionText(c: CheckCondition): string {
  if (c.kind === 'topology') return `${c.label} (${c.path} = ${String(c.equals)})`;
  return `${c.label} ${c.op === '>=' ? '≥' : '≤'} ${c.value}`;
}

function LessonSheet({ lesson, n }: { lesson: Lesson; n: number }) {
  return (
    <section className="lesson" data-testid={`handout-lesson-${lesson.id}`}>
      <h2>
        {n}. {lesson.title}
      </h2>
      <p>
        <strong>Goal.</strong> {lesson.goal}
      </p>
      <p className="meta">
        Stage preset <code>{lesson.preset}</code>, workload <code>{lesson.workload}</code>{' '}
        {lesson.rate === null ? 'at its own rate profile' : `at ${lesson.rate} requests/s`} (Workshop → Set up, or{' '}
        <code>scalelab up --preset {lesson.preset}</code> then{' '}
        <code>
          scalelab run --workload {lesson.workload}
          {lesson.rate === null ? '' : ` --rate ${lesson.rate}`}
        </code>
        ).
      </p>
      <h3>Predict first</h3>
      <p>{lesson.predict.question}</p>
      <ul className="choices">
        {lesson.predict.choices.map((c) => (
          <li key={c}>☐ {c}</li>
        ))}
      </ul>
      <p className="write-in">Why do you think so? ______________________________________________</p>
      <h3>Steps</h3>
      <ol>
        {lesson.steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
      <h3>Watch</h3>
      <ul>
        {lesson.watch.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      <h3>It worked when</h3>
      <p>
        {lesson.check.describe} (the console&apos;s check turns green: every condition below held{' '}
        {lesson.check.holdSeconds} s in a row, within {lesson.check.withinSeconds} s).
      </p>
      <ul>
        {lesson.check.conditions.map((c) => (
          <li key={c.label}>{conditionText(c)}</li>
        ))}
      </ul>
      <p className="write-in">What I measured: ______________________________________________</p>
    </section>
  );
}

export function HandoutDocument({ model }: { model: HandoutModel }) {
  const { chapter } = model;
  return (
    <article className="handout" data-testid="handout">
      <h1>{handoutTitle(chapter)}</h1>
      <p>{chapter.summary}</p>
      <p className="meta">
        ScaleLab {model.appVersion} · printed {new Date(model.generatedAt).toISOString().slice(0, 10)}
      </p>
      {chapter.lessons.map((l, i) => (
        <LessonSheet key={l.id} lesson={l} n={i + 1} />
      ))}
      <section className="answers" data-testid="handout-answers">
        <h2>Answers (read after the lab)</h2>
        {chapter.lessons.map((l) => (
          <div key={l.id}>
            <h3>{l.title}</h3>
            <p>
              <strong>{l.predict.choices[l.predict.answer]}.</strong> {l.predict.why}
            </p>
            <p>
              <strong>Expected:</strong> {l.expected}
            </p>
          </div>
        ))}
      </section>
    </article>
  );
}
