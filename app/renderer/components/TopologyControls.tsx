// Every topology field as a control, the stage presets, and what applying would do: live, or a
// restart of one named service.
import { memo, useEffect, useRef, useState } from 'react';
import type { PresetInfo, Topology, TopologyChange } from '../../contract/topology.js';
import { useLab } from '../hooks/use-lab.js';

interface Props {
  current: Topology | null;
  running: boolean;
  busy: string | null;
  onUp: (t: Topology) => void;
  onApply: (t: Topology) => void;
  onDown: () => void;
}

type Section = keyof Topology;

function TopologyControlsView({ current, running, busy, onUp, onApply, onDown }: Props) {
  const lab = useLab();
  const [presets, setPresets] = useState<PresetInfo[]>([]);
  const [draft, setDraft] = useState<Topology | null>(current);
  const [changes, setChanges] = useState<TopologyChange[]>([]);
  const [invalid, setInvalid] = useState<string | null>(null);

  useEffect(() => {
    void lab.api.stack.presets().then(setPresets);
  }, [lab]);
  // The stack's topology changed (an Apply here, a lesson set up, the cache key, another console):
  // the draft starts again from it, or it would show the difference as changes still to make.
  // Compared by content: a polled status carries a new object when only a service's health moved.
  const seen = useRef<string | null>(null);
  useEffect(() => {
    const json = current ? JSON.stringify(current) : null;
    if (current && json !== seen.current) setDraft(current);
    seen.current = json;
  }, [current]);
  useEffect(() => {
    if (!draft && presets.length) setDraft(presets.find((p) => p.name === 'full')!.topology);
  }, [presets, draft]);
  useEffect(() => {
    if (!draft) return;
    let live = true;
    lab.api.stack
      .validate({ topology: draft })
      .then(() => {
        if (live) setInvalid(null);
        return running ? lab.api.stack.preview({ topology: draft }) : [];
      })
      .then(
        (c) => {
          if (live) setChanges(c);
        },
        (err: Error) => {
          if (live) {
            setInvalid(err.message);
            setChanges([]);
          }
        },
      );
    return () => {
      live = false;
    };
  }, [lab, draft, running, current]);

  if (!draft) return <div className="panel">loading presets…</div>;
  const set = <S extends Section>(section: S, field: keyof Topology[S], value: unknown) =>
    setDraft({ ...draft, [section]: { ...draft[section], [field]: value } });
  const num = (section: Section, field: string, min: number, max: number, step = 1, label = field) => (
    <label>
      {label}
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={(draft[section] as unknown as Record<string, number>)[field]}
        data-testid={`field-${section}.${field}`}
        onChange={(e) => set(section, field as never, Number(e.target.value))}
      />
    </label>
  );
  const bool = (section: Section, field: string, label = field) => (
    <label className="check">
      <input
        type="checkbox"
        checked={(draft[section] as unknown as Record<string, boolean>)[field]}
        data-testid={`field-${section}.${field}`}
        onChange={(e) => set(section, field as never, e.target.checked)}
      />
      {label}
    </label>
  );
  const pick = (section: Section, field: string, options: string[]) => (
    <label>
      {field}
      <select
        value={(draft[section] as unknown as Record<string, string>)[field]}
        data-testid={`field-${section}.${field}`}
        onChange={(e) => set(section, field as never, e.target.value)}
      >
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="panel controls">
      <div className="presets">
        {presets.map((p) => (
          <button
            key={p.name}
            title={p.summary}
            data-testid={`preset-${p.name}`}
            onClick={() => setDraft({ ...p.topology, ports: draft.ports })}
          >
            {p.stage ? `${p.stage}. ` : ''}
            {p.title}
          </button>
        ))}
      </div>
      <fieldset>
        <legend>load balancer</legend>
        {bool('loadBalancer', 'enabled')}
        {pick('loadBalancer', 'algorithm', ['roundrobin', 'leastconn', 'random', 'source'])}
      </fieldset>
      <fieldset>
        <legend>API</legend>
        {num('api', 'instances', 1, 8)}
        {num('api', 'cpus', 0.1, 4, 0.1, 'CPUs')}
        {num('api', 'memoryMb', 64, 4096, 64, 'memory MB')}
      </fieldset>
      <fieldset>
        <legend>cache</legend>
        {bool('cache', 'enabled')}
        {pick('cache', 'strategy', ['cache-aside', 'write-through'])}
        {num('cache', 'ttlSeconds', 1, 86400, 1, 'TTL s')}
        {num('cache', 'maxMemoryMb', 4, 4096, 4, 'max MB')}
        {pick('cache', 'evictionPolicy', [
          'allkeys-lru',
          'allkeys-lfu',
          'allkeys-random',
          'volatile-lru',
          'volatile-ttl',
          'noeviction',
        ])}
      </fieldset>
      <fieldset>
        <legend>database</legend>
        {num('database', 'replicas', 0, 3)}
        {num('database', 'replicaApplyDelayMs', 0, 60000, 100, 'apply delay ms')}
        {bool('database', 'readFromReplicas', 'reads on replicas')}
        {bool('database', 'readYourWrites', 'read your writes')}
      </fieldset>
      <fieldset>
        <legend>edge and limits</legend>
        {bool('edgeCache', 'enabled', 'edge cache')}
        {bool('rateLimit', 'enabled', 'rate limit')}
        {num('rateLimit', 'requestsPerSecond', 1, 100000, 50, 'limit/s')}
      </fieldset>
      <fieldset>
        <legend>ports on 127.0.0.1 (0 = any free)</legend>
        {num('ports', 'entry', 0, 65535)}
        {num('ports', 'edge', 0, 65535)}
      </fieldset>
      {invalid && (
        <div className="error" data-testid="topology-invalid">
          {invalid}
        </div>
      )}
      {running && changes.length > 0 && (
        <ul className="changes" data-testid="changes">
          {changes.map((c) => (
            <li key={c.field} className={`change-${c.kind}`}>
              {c.kind === 'live' ? 'live' : `restarts ${c.services.join(', ')}`} — {c.field}: {c.how}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        {!running && (
          <button className="primary" disabled={!!busy || !!invalid} data-testid="stack-up" onClick={() => onUp(draft)}>
            {busy === 'up' ? 'bringing up…' : 'Bring up'}
          </button>
        )}
        {running && (
          <button
            className="primary"
            disabled={!!busy || !!invalid || !changes.length}
            data-testid="stack-apply"
            onClick={() => onApply(draft)}
          >
            {busy === 'apply' ? 'applying…' : 'Apply'}
          </button>
        )}
        {running && (
          <button disabled={!!busy} data-testid="stack-down" onClick={onDown}>
            {busy === 'down' ? 'taking down…' : 'Take down'}
          </button>
        )}
      </div>
    </div>
  );
}

/** Re-renders only when its props change, not on every point of a run. */
export const TopologyControls = memo(TopologyControlsView);
