// A lesson's check as the learner sees it: not started, watching (how long every condition has
// held so far, each condition's value now), passed (what it read then), or out of time.
import { Badge, Button, Flex, Table, Text } from '@radix-ui/themes';
import { CircleCheck, CircleDashed, RotateCcw, Timer } from 'lucide-react';
import type { LessonCheck, LessonProgress } from '../../contract/course.js';
import type { CheckState, ConditionReading } from './lesson-check.js';

const show = (v: ConditionReading['value']) =>
  v === null ? '–' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v);

function Readings({ readings }: { readings: ConditionReading[] }) {
  return (
    <Table.Root size="1" variant="ghost" data-testid="lesson-readings">
      <Table.Body>
        {readings.map((r) => (
          <Table.Row key={r.label}>
            <Table.RowHeaderCell>{r.label}</Table.RowHeaderCell>
            <Table.Cell justify="end">{show(r.value)}</Table.Cell>
            <Table.Cell>
              {r.ok ? (
                <CircleCheck size={14} color="var(--green-9)" aria-label="holds" />
              ) : (
                <CircleDashed size={14} aria-label="not yet" />
              )}
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table.Root>
  );
}

export function LessonCheckView({
  check,
  state,
  saved,
  running,
  onStart,
}: {
  check: LessonCheck;
  state: CheckState | null;
  saved: LessonProgress | undefined;
  running: boolean;
  onStart: () => void;
}) {
  const status = state?.status ?? (saved?.passedAt ? 'passed' : 'idle');
  const readings =
    state?.readings ??
    (saved?.observed ? Object.entries(saved.observed).map(([label, value]) => ({ label, value, ok: true })) : []);
  return (
    <Flex direction="column" gap="2" data-testid="lesson-check" data-status={status}>
      <Flex align="center" gap="2" wrap="wrap">
        <Text weight="bold">Check</Text>
        {status === 'passed' && (
          <Badge color="green" size="2">
            <CircleCheck size={14} /> passed
            {saved?.passedAt ? ` ${new Date(saved.passedAt).toLocaleTimeString()}` : ''}
          </Badge>
        )}
        {status === 'watching' && (
          <Badge color="blue" size="2">
            <Timer size={14} /> watching: held {state!.held} of {check.holdSeconds} s
          </Badge>
        )}
        {status === 'timed-out' && (
          <Badge color="amber" size="2">
            not within {check.withinSeconds} s
          </Badge>
        )}
        {status !== 'watching' && (
          <Button size="1" variant="soft" onClick={onStart} data-testid="lesson-check-start">
            <RotateCcw size={12} /> {status === 'idle' ? 'Check from now' : 'Check again'}
          </Button>
        )}
      </Flex>
      <Text size="2" color="gray">
        Turns green when {check.describe}.
        {status === 'watching' && !running ? ' No load is running: start it, or Set up the lesson.' : ''}
        {status === 'timed-out' ? ' Look at what did not hold below, change it, and check again.' : ''}
      </Text>
      {readings.length > 0 && <Readings readings={readings} />}
    </Flex>
  );
}
