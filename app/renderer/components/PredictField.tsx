// Predict, then measure (workshop mode): the room's guess before the run, kept with it. A number
// for one figure (the knee for Find the knee), or a choice: lower, about the same or higher than
// the last run, which the run's end judges by the 95% interval of the difference.
import { Flex, TextField } from '@radix-ui/themes';
import { useEffect, useState } from 'react';
import {
  CHOICES,
  PREDICTED_LABELS,
  PREDICTED_METRICS,
  type Choice,
  type PredictedMetric,
  type Prediction,
} from '../../contract/prediction.js';
import type { ComparedMetric } from '../../contract/significance.js';
import { ChoiceField } from './fields.js';

/** The figures a choice is offered for (the rest are one click away in the CLI). */
const VERSUS: ComparedMetric[] = ['p95', 'throughput'];
type Kind = 'none' | PredictedMetric | `vs-${ComparedMetric}`;

const OPTIONS: Array<{ value: Kind; label: string }> = [
  { value: 'none', label: 'no prediction' },
  ...PREDICTED_METRICS.map((m) => ({
    value: m,
    label: m === 'knee' ? 'the knee (Find the knee)' : PREDICTED_LABELS[m].label,
  })),
  ...VERSUS.map((m) => ({ value: `vs-${m}` as const, label: `${m} against the last run` })),
];

export function PredictField({ disabled, onChange }: { disabled: boolean; onChange: (p: Prediction | null) => void }) {
  const [kind, setKind] = useState<Kind>('none');
  const [value, setValue] = useState('');
  const [choice, setChoice] = useState<Choice>('lower');
  useEffect(() => {
    if (kind === 'none') return onChange(null);
    if (kind.startsWith('vs-')) return onChange({ versus: kind.slice(3) as ComparedMetric, choice, against: 'last' });
    const n = Number(value);
    onChange(
      value.trim() !== '' && Number.isFinite(n) && n >= 0 ? { metric: kind as PredictedMetric, value: n } : null,
    );
  }, [kind, value, choice, onChange]);
  const metric = kind !== 'none' && !kind.startsWith('vs-') ? (kind as PredictedMetric) : null;
  return (
    <Flex gap="2" align="end">
      <ChoiceField<Kind>
        label="predict first"
        value={kind}
        options={OPTIONS}
        testId="predict-metric"
        disabled={disabled}
        onChange={setKind}
      />
      {metric && (
        <TextField.Root
          size="1"
          type="number"
          min={0}
          aria-label={`predicted ${PREDICTED_LABELS[metric].label}`}
          placeholder={PREDICTED_LABELS[metric].unit.trim() || 'value'}
          value={value}
          style={{ width: 84 }}
          disabled={disabled}
          data-testid="predict-value"
          onChange={(e) => setValue(e.target.value)}
        />
      )}
      {kind.startsWith('vs-') && (
        <ChoiceField<Choice>
          label="will be"
          value={choice}
          options={CHOICES.map((c) => ({ value: c, label: c === 'same' ? 'about the same' : c }))}
          testId="predict-choice"
          disabled={disabled}
          onChange={setChoice}
        />
      )}
    </Flex>
  );
}
