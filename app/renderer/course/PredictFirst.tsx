// The question asked before looking: the learner picks an answer (kept with their progress); the
// measured answer and why are shown once the check passed, or when they ask for it.
import { Button, Callout, Flex, RadioGroup, Text } from '@radix-ui/themes';
import { Lightbulb } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { PredictQuestion } from '../../contract/course.js';

export function PredictFirst({
  q,
  predicted,
  passed,
  expected,
  onPredict,
}: {
  q: PredictQuestion;
  predicted: number | undefined;
  passed: boolean;
  expected: string;
  onPredict: (choice: number) => void;
}) {
  const [asked, setAsked] = useState(false);
  useEffect(() => setAsked(false), [q]);
  const reveal = passed || asked;
  return (
    <Flex direction="column" gap="2" data-testid="predict">
      <Text weight="bold">Predict first</Text>
      <Text size="2">{q.question}</Text>
      <RadioGroup.Root
        size="2"
        value={predicted === undefined ? '' : String(predicted)}
        onValueChange={(v) => onPredict(Number(v))}
        aria-label="your prediction"
      >
        {q.choices.map((c, i) => (
          <RadioGroup.Item key={c} value={String(i)} data-testid={`predict-${i}`}>
            {c}
          </RadioGroup.Item>
        ))}
      </RadioGroup.Root>
      {!reveal && predicted !== undefined && (
        <Button size="1" variant="ghost" onClick={() => setAsked(true)} data-testid="predict-reveal">
          Show the answer now
        </Button>
      )}
      {reveal && (
        <Callout.Root color={predicted === q.answer ? 'green' : 'amber'} size="1" data-testid="predict-answer">
          <Callout.Icon>
            <Lightbulb size={16} />
          </Callout.Icon>
          <Callout.Text>
            {predicted === undefined ? '' : predicted === q.answer ? 'You predicted it. ' : 'Not what you predicted. '}
            <strong>{q.choices[q.answer]}.</strong> {q.why} <em>Expected: {expected}</em>
          </Callout.Text>
        </Callout.Root>
      )}
    </Flex>
  );
}
