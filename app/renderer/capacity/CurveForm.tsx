// What a scaling curve measures: the workload and its latency objective, the topology field and
// its values (a sweep at each), how long each step holds, and a load to plan for.
import { Button, Flex, Text, TextField } from '@radix-ui/themes';
import { TrendingUp } from 'lucide-react';
import { useId, useState } from 'react';
import { CURVE_FIELDS, type CurveRequest } from '../../contract/capacity.js';
import type { Workload } from '../../contract/load.js';
import { ChoiceField, NumberField } from '../components/fields.js';

const FIELDS = CURVE_FIELDS;

/** "1, 2, 3" → [1, 2, 3]; null when any is not a number or fewer than two differ. */
export function parseValues(text: string): number[] | null {
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map(Number);
  if (values.length < 2 || values.some((v) => !Number.isFinite(v) || v < 0)) return null;
  return new Set(values).size === values.length ? values : null;
}

function TextInput(props: {
  label: string;
  value: string;
  testId: string;
  width: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <Flex direction="column" gap="1">
      <Text as="label" size="1" color="gray" htmlFor={id}>
        {props.label}
      </Text>
      <TextField.Root
        id={id}
        size="1"
        value={props.value}
        style={{ width: props.width }}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Flex>
  );
}

export function CurveForm({
  workloads,
  disabled,
  why,
  onMeasure,
}: {
  workloads: Workload[];
  disabled: boolean;
  /** Why the form cannot start a curve now (no stack, one already measuring). */
  why: string | null;
  onMeasure: (req: CurveRequest) => void;
}) {
  const [workload, setWorkload] = useState('cpu-bound');
  const [objective, setObjective] = useState('p(95)<200');
  const [field, setField] = useState<(typeof FIELDS)[number]>('api.instances');
  const [values, setValues] = useState('1, 2, 3');
  const [step, setStep] = useState(20);
  const [target, setTarget] = useState(0);
  const parsed = parseValues(values);
  const names = workloads.map((w) => w.name);
  const chosen = names.includes(workload) ? workload : (names[0] ?? workload);
  return (
    <Flex gap="3" align="end" wrap="wrap" data-testid="curve-form">
      <ChoiceField
        label="workload"
        value={chosen}
        options={names.map((n) => ({ value: n, label: n }))}
        testId="curve-workload"
        onChange={setWorkload}
      />
      <TextInput label="objective" value={objective} testId="curve-objective" width="110px" onChange={setObjective} />
      <ChoiceField
        label="across"
        value={field}
        options={FIELDS.map((f) => ({ value: f, label: f }))}
        testId="curve-field"
        onChange={setField}
      />
      <TextInput label="values" value={values} testId="curve-values" width="110px" onChange={setValues} />
      <NumberField
        label="step (s)"
        value={step}
        min={4}
        max={600}
        testId="curve-step"
        width="72px"
        onChange={setStep}
      />
      <NumberField
        label="plan for (requests/s, 0: none)"
        value={target}
        min={0}
        max={1_000_000}
        testId="curve-target"
        width="96px"
        onChange={setTarget}
      />
      <Button
        disabled={disabled || !parsed}
        data-testid="curve-start"
        onClick={() =>
          parsed &&
          onMeasure({
            workload: chosen,
            objective,
            stepSeconds: step,
            across: { field, values: parsed },
            ...(target > 0 ? { target, headroom: 0.5 } : {}),
          })
        }
      >
        <TrendingUp size={14} /> Measure the curve
      </Button>
      <Text size="1" color={parsed ? 'gray' : 'red'} data-testid="curve-form-note">
        {!parsed
          ? 'values: two or more different numbers, e.g. 1, 2, 3'
          : (why ?? `a sweep at each of ${parsed.length} values, each some 6 to 12 steps of ${step} s`)}
      </Text>
    </Flex>
  );
}
