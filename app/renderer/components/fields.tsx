// Labelled form fields in the design system (Radix Themes): a number, an on/off switch, a choice.
// Each carries the data-testid the e2e tests and the command palette's actions find it by.
import { Flex, Select, Switch, Text, TextField } from '@radix-ui/themes';
import { useId } from 'react';

export function NumberField({
  label,
  value,
  min,
  max,
  step = 1,
  testId,
  width = '96px',
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  testId: string;
  width?: string;
  onChange: (v: number) => void;
}) {
  const id = useId();
  return (
    <Flex direction="column" gap="1">
      <Text as="label" size="1" color="gray" htmlFor={id}>
        {label}
      </Text>
      <TextField.Root
        id={id}
        size="1"
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        style={{ width }}
        data-testid={testId}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </Flex>
  );
}

export function SwitchField({
  label,
  checked,
  testId,
  onChange,
}: {
  label: string;
  checked: boolean;
  testId: string;
  onChange: (v: boolean) => void;
}) {
  return (
    <Text as="label" size="2">
      <Flex gap="2" align="center">
        <Switch size="1" checked={checked} onCheckedChange={onChange} data-testid={testId} />
        {label}
      </Flex>
    </Text>
  );
}

export function ChoiceField<T extends string>({
  label,
  value,
  options,
  testId,
  disabled,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<T | { value: T; label: string; disabled?: boolean }>;
  testId: string;
  disabled?: boolean;
  onChange: (v: T) => void;
}) {
  const id = useId();
  return (
    <Flex direction="column" gap="1">
      <Text size="1" color="gray" id={id}>
        {label}
      </Text>
      <Select.Root size="1" value={value} onValueChange={(v) => onChange(v as T)} disabled={disabled}>
        <Select.Trigger aria-labelledby={id} data-testid={testId} />
        <Select.Content>
          {options.map((o) => {
            const opt = typeof o === 'string' ? { value: o, label: o, disabled: false } : o;
            return (
              <Select.Item key={opt.value} value={opt.value} disabled={opt.disabled}>
                {opt.label}
              </Select.Item>
            );
          })}
        </Select.Content>
      </Select.Root>
    </Flex>
  );
}
