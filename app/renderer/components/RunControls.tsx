// Choosing what to run and how hard: workload, engine (k6 when found, else built-in, and it says
// which; k6 may be split over several generators), a rate knob that changes load while it runs,
// start and stop.
import { Button, Card, Flex, Slider, Text, TextField } from '@radix-ui/themes';
import { Play, Square, TrendingUp } from 'lucide-react';
import { memo, useCallback, useState } from 'react';
import { MAX_GENERATORS, type EngineKind, type KeyDistribution, type Workload } from '../../contract/load.js';
import type { StartLoadRequest } from '../../contract/lab-api.js';
import { useLab } from '../hooks/use-lab.js';
import { useSettings } from '../settings/use-settings.js';
import { ChoiceField } from './fields.js';
import { isChoice, type Prediction } from '../../contract/prediction.js';
import type { SweepRequest } from '../../contract/capacity.js';
import { PredictField } from './PredictField.js';
import { useLoaded } from '../hooks/use-loaded.js';

interface Props {
  running: boolean;
  onStart: (req: StartLoadRequest & { workload: string }) => void;
  onStop: () => void;
  onRate: (rate: number) => void;
  /** Find the knee: a capacity sweep of the workload against a latency objective. */
  onSweep: (workload: string, objective: string, stepSeconds: number, prediction?: SweepRequest['prediction']) => void;
}

function RunControlsView({ running, onStart, onStop, onRate, onSweep }: Props) {
  const lab = useLab();
  const [workloads, setWorkloads] = useState<Workload[]>([]);
  const [engines, setEngines] = useState<Array<{ kind: EngineKind; available: boolean; detail: string }>>([]);
  const { settings } = useSettings();
  const [name, setName] = useState(settings.defaultWorkload);
  const [engine, setEngine] = useState<EngineKind>(settings.defaultEngine);
  const [rate, setRate] = useState<number | null>(null);
  const [keys, setKeys] = useState<'workload' | KeyDistribution>('workload');
  const [generators, setGenerators] = useState(1);
  // Predict, then measure: the room's guess, kept with the run (the knee goes with Find the knee).
  const [predicted, setPredicted] = useState<Prediction | null>(null);
  const [objective, setObjective] = useState('p(95)<200');
  const [stepSeconds, setStepSeconds] = useState(20);
  const forKnee = predicted && !isChoice(predicted) && predicted.metric === 'knee';
  const prediction = predicted && !forKnee ? predicted : undefined;
  const kneePrediction = forKnee ? (predicted as SweepRequest['prediction']) : undefined;
  useLoaded(() => lab.api.load.workloads(), [lab], setWorkloads);
  useLoaded(() => lab.api.load.engines(), [lab], setEngines);
  const w = workloads.find((x) => x.name === name);
  const profileRate = w
    ? w.rate.kind === 'constant'
      ? w.rate.rate
      : Math.max(...w.rate.stages.map((s) => s.targetRate))
    : 100;
  const k6 = engines.find((e) => e.kind === 'k6');
  // Radix Themes' Slider names its root, not its thumb, which is what a screen reader focuses.
  const labelThumb = useCallback((el: HTMLSpanElement | null) => {
    el?.querySelectorAll('[role="slider"]').forEach((t) => t.setAttribute('aria-label', 'rate, requests/s'));
  }, []);
  const shown = rate ?? profileRate;
  const max = Math.max(50, profileRate * 4);
  // While load runs a new rate is sent when the user settles on it (slider released, Enter, or
  // leaving the field), not at every keystroke or pixel.
  const commit = (r: number) => {
    if (running && Number.isFinite(r) && r >= 1) onRate(r);
  };
  return (
    <Card size="2" className="run-controls">
      <Flex direction="column" gap="3">
        <Flex gap="3" wrap="wrap" align="end">
          <ChoiceField
            label="workload"
            value={name}
            options={workloads.map((x) => x.name)}
            testId="workload"
            disabled={running}
            onChange={setName}
          />
          <ChoiceField<EngineKind>
            label="engine"
            value={engine}
            options={[
              { value: 'builtin', label: 'built-in' },
              { value: 'k6', label: k6?.available ? 'k6' : 'k6 (not found)', disabled: !k6?.available },
            ]}
            testId="engine"
            disabled={running}
            onChange={setEngine}
          />
          {engine === 'k6' && (
            <Flex direction="column" gap="1">
              <Text as="label" size="1" color="gray" htmlFor="generators-field">
                generators
              </Text>
              <TextField.Root
                id="generators-field"
                size="2"
                type="number"
                min={1}
                max={MAX_GENERATORS}
                value={generators}
                title="k6 processes splitting the test by execution segments, their figures merged"
                style={{ width: 64 }}
                data-testid="generators"
                disabled={running}
                onChange={(e) =>
                  setGenerators(Math.min(MAX_GENERATORS, Math.max(1, Math.round(Number(e.target.value)) || 1)))
                }
              />
            </Flex>
          )}
          <ChoiceField<'workload' | KeyDistribution>
            label="keys"
            value={keys}
            options={[
              { value: 'workload', label: w ? `as the workload (${w.keys.distribution})` : 'as the workload' },
              { value: 'uniform', label: 'uniform' },
              { value: 'zipf', label: 'Zipf (a few popular)' },
            ]}
            testId="keys"
            disabled={running}
            onChange={setKeys}
          />
          <Flex direction="column" gap="1" style={{ minWidth: 220, flex: 1 }}>
            <Text as="label" size="1" color="gray" htmlFor="rate-field">
              rate (requests/s)
            </Text>
            <Flex gap="3" align="center">
              <Slider
                ref={labelThumb}
                size="1"
                min={1}
                max={max}
                value={[Math.min(shown, max)]}
                aria-label="rate"
                onValueChange={([r]) => setRate(r)}
                onValueCommit={([r]) => commit(r)}
                data-testid="rate-slider"
              />
              <TextField.Root
                id="rate-field"
                size="1"
                type="number"
                min={1}
                max={100_000}
                value={shown}
                style={{ width: 84 }}
                data-testid="rate"
                onChange={(e) => setRate(Number(e.target.value))}
                onBlur={(e) => commit(Number(e.target.value))}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') commit(Number((e.target as HTMLInputElement).value));
                }}
              />
            </Flex>
          </Flex>
          <PredictField disabled={running} onChange={setPredicted} />
          {!running ? (
            <Button
              data-testid="run-start"
              onClick={() =>
                onStart({
                  workload: name,
                  engine,
                  ...(rate ? { rate } : {}),
                  ...(keys !== 'workload' ? { keys } : {}),
                  ...(prediction ? { prediction } : {}),
                  ...(engine === 'k6' && generators > 1 ? { generators } : {}),
                })
              }
            >
              <Play size={14} /> Start load
            </Button>
          ) : null}
          {!running && (
            <Flex gap="2" align="end">
              <TextField.Root
                size="2"
                value={objective}
                aria-label="latency objective for the sweep"
                style={{ width: 110 }}
                data-testid="sweep-objective"
                onChange={(e) => setObjective(e.target.value)}
              />
              <TextField.Root
                size="2"
                type="number"
                min={4}
                max={600}
                value={stepSeconds}
                aria-label="seconds each step of the sweep holds"
                title="seconds each step holds"
                style={{ width: 64 }}
                data-testid="sweep-step"
                onChange={(e) => setStepSeconds(Number(e.target.value))}
              >
                <TextField.Slot side="right">s</TextField.Slot>
              </TextField.Root>
              <Button
                variant="soft"
                data-testid="sweep-start"
                title="raise the rate step by step until the objective breaks: the knee"
                onClick={() => onSweep(name, objective, stepSeconds, kneePrediction)}
              >
                <TrendingUp size={14} /> Find the knee
              </Button>
            </Flex>
          )}
          {running ? (
            <Button color="red" variant="soft" data-testid="run-stop" onClick={onStop}>
              <Square size={14} /> Stop
            </Button>
          ) : null}
        </Flex>
        <Text size="1" color="gray" data-testid="engine-note">
          {k6 && !k6.available ? `k6: ${k6.detail}; the built-in engine runs` : k6?.detail}
        </Text>
        {w && (
          <Text size="1" color="gray">
            {w.description}
          </Text>
        )}
      </Flex>
    </Card>
  );
}

/** Re-renders only when its props change, not on every point of a run. */
export const RunControls = memo(RunControlsView);
