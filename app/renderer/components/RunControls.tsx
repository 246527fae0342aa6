// Choosing what to run and how hard: workload, engine (k6 when found, else built-in, and it says
// which), a rate knob that changes load while it runs, start and stop.
import { memo, useEffect, useState } from 'react';
import type { EngineKind, Workload } from '../../contract/load.js';
import { useLab } from '../hooks/use-lab.js';
import { useSettings } from '../settings/use-settings.js';

interface Props {
  running: boolean;
  onStart: (w: string, engine: EngineKind, rate?: number) => void;
  onStop: () => void;
  onRate: (rate: number) => void;
}

function RunControlsView({ running, onStart, onStop, onRate }: Props) {
  const lab = useLab();
  const [workloads, setWorkloads] = useState<Workload[]>([]);
  const [engines, setEngines] = useState<Array<{ kind: EngineKind; available: boolean; detail: string }>>([]);
  const { settings } = useSettings();
  const [name, setName] = useState(settings.defaultWorkload);
  const [engine, setEngine] = useState<EngineKind>(settings.defaultEngine);
  const [rate, setRate] = useState<number | null>(null);
  useEffect(() => {
    void lab.api.load.workloads().then(setWorkloads);
    void lab.api.load.engines().then(setEngines);
  }, [lab]);
  const w = workloads.find((x) => x.name === name);
  const profileRate = w
    ? w.rate.kind === 'constant'
      ? w.rate.rate
      : Math.max(...w.rate.stages.map((s) => s.targetRate))
    : 100;
  const k6 = engines.find((e) => e.kind === 'k6');
  return (
    <div className="panel run-controls">
      <label>
        workload
        <select value={name} data-testid="workload" onChange={(e) => setName(e.target.value)} disabled={running}>
          {workloads.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        engine
        <select
          value={engine}
          data-testid="engine"
          onChange={(e) => setEngine(e.target.value as EngineKind)}
          disabled={running}
        >
          <option value="builtin">built-in</option>
          <option value="k6" disabled={!k6?.available}>
            k6{k6?.available ? '' : ' (not found)'}
          </option>
        </select>
      </label>
      <span className="hint" data-testid="engine-note">
        {k6 && !k6.available ? `k6: ${k6.detail}; the built-in engine runs` : k6?.detail}
      </span>
      <label className="knob">
        rate {rate ?? profileRate}/s
        <input
          type="range"
          min={1}
          max={Math.max(50, profileRate * 4)}
          value={rate ?? profileRate}
          data-testid="rate"
          onChange={(e) => {
            const r = Number(e.target.value);
            setRate(r);
            if (running) onRate(r);
          }}
        />
      </label>
      {w && <div className="hint">{w.description}</div>}
      {!running ? (
        <button className="primary" data-testid="run-start" onClick={() => onStart(name, engine, rate ?? undefined)}>
          Start load
        </button>
      ) : (
        <button data-testid="run-stop" onClick={onStop}>
          Stop
        </button>
      )}
    </div>
  );
}

/** Re-renders only when its props change, not on every point of a run. */
export const RunControls = memo(RunControlsView);
