// The workshop as a course: chapters along the scaling guide's path, the open lesson with its
// question to answer first, its steps, what to watch and a check that turns green on the real
// stack; one click sets the lesson up. A chapter prints as a handout.
import { Badge, Box, Button, Card, DropdownMenu, Flex, Grid, Heading, Progress, Text } from '@radix-ui/themes';
import { ChevronLeft, ChevronRight, CircleCheck, Play, Printer } from 'lucide-react';
import { useCallback, useState } from 'react';
import type { TimelinePoint } from '../../contract/runs.js';
import type { Topology } from '../../contract/topology.js';
import type { Lesson } from '../../contract/course.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { saveFile } from '../components/ExportMenu.js';
import { useLab } from '../hooks/use-lab.js';
import { LessonCheckView } from './LessonCheckView.js';
import { PredictFirst } from './PredictFirst.js';
import { useLessonCheck, type useCourse } from './use-course.js';

type Course = ReturnType<typeof useCourse>;

function HandoutMenu({ chapter }: { chapter: string }) {
  const lab = useLab();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const get = (format: 'html' | 'pdf') => {
    setBusy(true);
    setFailed(null);
    lab.api.reports
      .handout({ chapter, format })
      .then(saveFile, (e: Error) => setFailed(e.message))
      .finally(() => setBusy(false));
  };
  return (
    <Flex align="center" gap="2">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger>
          <Button size="1" variant="soft" disabled={busy} data-testid="handout">
            <Printer size={14} /> {busy ? 'Making the handout…' : 'Handout'}
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Content>
          <DropdownMenu.Item onSelect={() => get('pdf')} data-testid="handout-pdf">
            This chapter as PDF
          </DropdownMenu.Item>
          <DropdownMenu.Item onSelect={() => get('html')} data-testid="handout-html">
            This chapter as HTML
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Root>
      {failed && (
        <Text size="1" color="red">
          {failed}
        </Text>
      )}
    </Flex>
  );
}

function List({ title, items, ordered }: { title: string; items: string[]; ordered?: boolean }) {
  const Tag = ordered ? 'ol' : 'ul';
  return (
    <Box>
      <Text weight="bold">{title}</Text>
      <Tag className="lesson-list">
        {items.map((t) => (
          <li key={t}>
            <Text size="2">{t}</Text>
          </li>
        ))}
      </Tag>
    </Box>
  );
}

export function CoursePanel({
  course,
  points,
  topology,
  running,
  busy,
  onSetUp,
}: {
  course: Course;
  points: readonly TimelinePoint[];
  topology: Topology | null;
  running: boolean;
  busy: boolean;
  onSetUp: (lesson: Lesson) => Promise<boolean>;
}) {
  const { chapters, lessons, progress, open, record, go, passed, error } = course;
  const lesson = open?.lesson ?? null;
  const onPass = useCallback(
    (passedAt: number, observed: Record<string, number | null>) => {
      if (lesson) void record({ lesson: lesson.id, passedAt, observed });
    },
    [lesson, record],
  );
  const check = useLessonCheck(lesson, points, topology, onPass);
  if (error && !open) return <ErrorBox error={error} />;
  if (!open || !lesson) return null;
  const saved = progress.lessons[lesson.id];
  const setUp = () => void onSetUp(lesson).then((ok) => ok && check.start());
  return (
    <Card size="2" className="course" data-testid="workshop">
      <Flex direction="column" gap="3">
        <Flex align="center" gap="3" wrap="wrap">
          <Text size="2" color="gray" data-testid="course-progress">
            {passed} of {lessons.length} lessons passed
          </Text>
          <Box flexGrow="1" maxWidth="240px">
            <Progress value={lessons.length ? (passed / lessons.length) * 100 : 0} aria-label="course progress" />
          </Box>
          <HandoutMenu chapter={open.chapter.id} />
        </Flex>
        <Flex gap="1" wrap="wrap" role="group" aria-label="chapters">
          {chapters.map((c) => {
            const done = c.lessons.every((l) => progress.lessons[l.id]?.passedAt);
            const active = c.id === open.chapter.id;
            return (
              <Button
                key={c.id}
                size="1"
                aria-current={active ? 'step' : undefined}
                variant={active ? 'solid' : 'soft'}
                color={done && !active ? 'green' : undefined}
                onClick={() => void record({ current: c.lessons[0].id })}
                data-testid={`chapter-${c.number}`}
              >
                {done ? <CircleCheck size={12} /> : null}
                {c.number}. {c.title}
              </Button>
            );
          })}
        </Flex>
        <Flex align="center" gap="2">
          <Heading size="4" data-testid="lesson-title">
            Chapter {open.chapter.number}: {open.chapter.title} — {lesson.title}
          </Heading>
          {saved?.passedAt ? <Badge color="green">done</Badge> : null}
        </Flex>
        <Text as="p" size="2">
          <strong>Goal.</strong> {lesson.goal}
        </Text>
        <Grid columns={{ initial: '1', md: '3' }} gap="4">
          <PredictFirst
            q={lesson.predict}
            predicted={saved?.predicted}
            passed={!!saved?.passedAt}
            expected={lesson.expected}
            onPredict={(choice) => void record({ lesson: lesson.id, predicted: choice })}
          />
          <List title="Do" items={lesson.steps} ordered />
          <List title="Watch" items={lesson.watch} />
        </Grid>
        <LessonCheckView
          check={lesson.check}
          state={check.state}
          saved={saved}
          running={running}
          onStart={check.start}
        />
        <Flex gap="2" wrap="wrap" align="center">
          <Button disabled={busy} onClick={setUp} data-testid="lesson-setup">
            <Play size={14} /> Set up: {lesson.preset}, {lesson.workload}
            {lesson.rate === null ? '' : ` at ${lesson.rate}/s`}
          </Button>
          <Box flexGrow="1" />
          <Button variant="soft" disabled={open.index === 0} onClick={() => go(-1)} data-testid="lesson-prev">
            <ChevronLeft size={14} /> Previous
          </Button>
          <Button
            variant="soft"
            disabled={open.index === lessons.length - 1}
            onClick={() => go(1)}
            data-testid="lesson-next"
          >
            Next <ChevronRight size={14} />
          </Button>
        </Flex>
        <Text size="1" color="gray">
          Keys: n next lesson · p previous · s start or stop load · c cache on or off · f presenter mode
        </Text>
      </Flex>
    </Card>
  );
}
