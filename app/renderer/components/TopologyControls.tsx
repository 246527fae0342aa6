// Every topology field as a control, the stage presets, and what applying would do: live, or a
// restart of one named service.
import { Button, Callout, Card, Flex, Text } from '@radix-ui/themes';
import { Check, Play, Square } from 'lucide-react';
import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  AUTOSCALE_METRICS,
  CACHE_STRATEGIES,
  CACHE_INVALIDATIONS,
  CACHE_COALESCING,
  CACHE_PERSISTENCE,
  CLIENT_LIMIT_ALGORITHMS,
  EVICTION_POLICIES,
  LB_ALGORITHMS,
  MAX_SHARDS,
  POOL_MODES,
  POOLERS,
  SESSION_STORES,
  SHARDING_MODES,
} from '../../contract/topology.js';
import type { PresetInfo, Topology, TopologyChange } from '../../contract/topology.js';
import { useLab } from '../hooks/use-lab.js';
import { ChoiceField, NumberField, SwitchField } from './fields.js';
import { useLoaded } from '../hooks/use-loaded.js';

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
  const [versions, setVersions] = useState<string[]>(['v1']);

  useLoaded(() => lab.api.stack.presets(), [lab], setPresets);
  // Versions need the engine's images: without Docker the list is just v1.
  useLoaded(
    () => lab.api.stack.versions(),
    [lab],
    (v) => setVersions(v.filter((x) => x.current).map((x) => x.name)),
  );
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
  // A name may go one level deeper: 'autoscale.min' in the api section.
  const field = (section: Section, name: string) =>
    name.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], draft[section]);
  const set = (section: Section, name: string, value: unknown) => {
    const [outer, inner] = name.split('.');
    const sect = draft[section] as unknown as Record<string, Record<string, unknown>>;
    const next = inner ? { ...sect, [outer]: { ...sect[outer], [inner]: value } } : { ...sect, [outer]: value };
    setDraft({ ...draft, [section]: next });
  };
  const num = (section: Section, name: string, min: number, max: number, step = 1, label = name) => (
    <NumberField
      label={label}
      value={field(section, name) as number}
      min={min}
      max={max}
      step={step}
      testId={`field-${section}.${name}`}
      onChange={(v) => set(section, name, v)}
    />
  );
  const bool = (section: Section, name: string, label: string) => (
    <SwitchField
      label={label}
      checked={field(section, name) as boolean}
      testId={`field-${section}.${name}`}
      onChange={(v) => set(section, name, v)}
    />
  );
  const pick = (section: Section, name: string, label: string, options: readonly string[]) => (
    <ChoiceField
      label={label}
      value={field(section, name) as string}
      options={options}
      testId={`field-${section}.${name}`}
      onChange={(v) => set(section, name, v)}
    />
  );

  return (
    <Card size="2" className="controls">
      <Flex direction="column" gap="3">
        <Flex gap="1" wrap="wrap" role="group" aria-label="stage presets">
          {presets.map((p) => (
            <Button
              key={p.name}
              size="1"
              variant="soft"
              title={p.summary}
              data-testid={`preset-${p.name}`}
              onClick={() => setDraft({ ...p.topology, ports: draft.ports })}
            >
              {p.stage ? `${p.stage}. ` : ''}
              {p.title}
            </Button>
          ))}
        </Flex>
        <Section title="Load balancer">
          {bool('loadBalancer', 'enabled', 'HAProxy in front')}
          {pick('loadBalancer', 'algorithm', 'algorithm', LB_ALGORITHMS)}
          {bool('loadBalancer', 'sticky', 'sticky sessions (cookie)')}
          {bool('loadBalancer', 'securityHeaders', 'security headers')}
          {bool('loadBalancer', 'tls', 'HTTPS (TLS at the balancer)')}
        </Section>
        <Section title="API">
          {num('api', 'instances', 1, 8, 1, 'instances')}
          {num('api', 'cpus', 0.1, 4, 0.1, 'CPUs each')}
          {num('api', 'memoryMb', 64, 4096, 64, 'memory MB')}
          {pick('api', 'sessions', 'carts in', SESSION_STORES)}
          {pick(
            'api',
            'version',
            'version (rolled)',
            versions.includes(draft.api.version) ? versions : [...versions, draft.api.version],
          )}
        </Section>
        <Section title="Autoscaling (the Kubernetes HPA rule)">
          {bool('api', 'autoscale.enabled', 'scale the instances')}
          {num('api', 'autoscale.min', 1, 8, 1, 'min')}
          {num('api', 'autoscale.max', 1, 8, 1, 'max')}
          {pick('api', 'autoscale.metric', 'on', AUTOSCALE_METRICS)}
          {draft.api.autoscale.metric === 'cpu'
            ? num('api', 'autoscale.targetCpuPercent', 5, 100, 5, 'target CPU % of limit')
            : num('api', 'autoscale.targetP95Ms', 1, 60000, 10, 'target p95 ms')}
          {num('api', 'autoscale.periodSeconds', 1, 60, 1, 'every s')}
          {num('api', 'autoscale.scaleDownStabilizationSeconds', 0, 3600, 5, 'scale-down window s')}
          {num('api', 'autoscale.scaleUpStabilizationSeconds', 0, 3600, 5, 'scale-up window s')}
        </Section>
        <Section title="Cache (Redis)">
          {bool('cache', 'enabled', 'on')}
          {pick('cache', 'strategy', 'strategy', CACHE_STRATEGIES)}
          {draft.cache.strategy === 'write-behind' && num('cache', 'flushIntervalMs', 50, 60000, 50, 'flush every ms')}
          {pick('cache', 'persistence', 'persistence', CACHE_PERSISTENCE)}
          {num('cache', 'ttlSeconds', 1, 86400, 1, 'TTL s')}
          {pick('cache', 'invalidation', 'on a price change', CACHE_INVALIDATIONS)}
          {pick('cache', 'coalescing', 'misses of one key', CACHE_COALESCING)}
          {bool('cache', 'refreshAhead', 'refresh ahead of expiry')}
          {num('cache', 'maxMemoryMb', 2, 4096, 2, 'max MB')}
          {pick('cache', 'evictionPolicy', 'eviction', EVICTION_POLICIES)}
        </Section>
        <Section title="Database (PostgreSQL)">
          {num('database', 'replicas', 0, 3, 1, 'replicas')}
          {num('database', 'replicaApplyDelayMs', 0, 60000, 100, 'apply delay ms')}
          {bool('database', 'readFromReplicas', 'reads on replicas')}
          {bool('database', 'readYourWrites', 'read your writes')}
          {num('database', 'maxConnections', 20, 200, 10, 'max connections')}
          {bool('database', 'sharesApiCores', 'on the API\u2019s core (one server)')}
          {bool('database', 'indexes', 'indexes for the expensive read')}
          {bool('database', 'backups', 'backups and WAL archiving (pgBackRest)')}
        </Section>
        <Section title="High availability (Patroni)">
          {bool('database', 'ha', 'Patroni + etcd, router')}
          {num('database', 'etcdMembers', 1, 3, 2, 'etcd members')}
          {bool('database', 'synchronous', 'synchronous standby')}
        </Section>
        <Section title="Sharding">
          {num('database', 'shards', 1, MAX_SHARDS, 1, 'shards (primaries)')}
          {pick('database', 'sharding', 'by product id', SHARDING_MODES)}
        </Section>
        <Section title="Connection pooling">
          {pick('database', 'pooler', 'pooler', POOLERS)}
          {num('database', 'poolSize', 1, 100, 1, 'pool size')}
          {pick('database', 'poolMode', 'pool mode', POOL_MODES)}
        </Section>
        <Section title="Edge and limits">
          {bool('edgeCache', 'enabled', 'edge cache (nginx)')}
          {num('edgeCache', 'dynamicTtlSeconds', 0, 300, 1, 'product pages kept s')}
          {bool('edgeCache', 'purgeOnWrite', 'purge on price change')}
          {num('api', 'distanceMs', 0, 2000, 10, 'origin distance ms')}
          {bool('rateLimit', 'enabled', 'rate limit')}
          {num('rateLimit', 'requestsPerSecond', 1, 100000, 50, 'limit/s')}
          {bool('rateLimit', 'perClient', 'per-client limit (Redis)')}
          {pick('rateLimit', 'algorithm', 'counted by', CLIENT_LIMIT_ALGORITHMS)}
          {num('rateLimit', 'clientLimit', 1, 1000000, 5, 'requests a client')}
          {num('rateLimit', 'windowSeconds', 1, 3600, 1, 'per window s')}
        </Section>
        <Section title="Monitoring (Prometheus, Alertmanager)">
          {bool('monitoring', 'enabled', 'Prometheus + alerts')}
          {num('monitoring', 'scrapeSeconds', 1, 60, 1, 'scrape every s')}
          {num('monitoring', 'alerts.errorRate', 0.001, 1, 0.01, 'alert: error share over')}
          {num('monitoring', 'alerts.p95Ms', 1, 60000, 50, 'alert: p95 over ms')}
          {num('monitoring', 'alerts.lagSeconds', 0.1, 3600, 0.5, 'alert: lag over s')}
          {num('monitoring', 'alerts.hitRatioBelow', 0, 1, 0.05, 'alert: hit ratio under')}
          {num('monitoring', 'alerts.forSeconds', 0, 3600, 1, 'alert after s')}
        </Section>
        <Section title="Ports on 127.0.0.1 (0 = any free)">
          {num('ports', 'entry', 0, 65535, 1, 'entry')}
          {num('ports', 'edge', 0, 65535, 1, 'edge')}
          {num('ports', 'tls', 0, 65535, 1, 'https')}
        </Section>
        {invalid && (
          <Callout.Root color="red" size="1" data-testid="topology-invalid">
            <Callout.Text>{invalid}</Callout.Text>
          </Callout.Root>
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
        <Flex gap="2">
          {!running && (
            <Button disabled={!!busy || !!invalid} data-testid="stack-up" onClick={() => onUp(draft)}>
              <Play size={14} /> {busy === 'up' ? 'Bringing up…' : 'Bring up'}
            </Button>
          )}
          {running && (
            <Button
              disabled={!!busy || !!invalid || !changes.length}
              data-testid="stack-apply"
              onClick={() => onApply(draft)}
            >
              <Check size={14} /> {busy === 'apply' ? 'Applying…' : 'Apply'}
            </Button>
          )}
          {running && (
            <Button variant="soft" color="red" disabled={!!busy} data-testid="stack-down" onClick={onDown}>
              <Square size={14} /> {busy === 'down' ? 'Taking down…' : 'Take down'}
            </Button>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="field-section">
      <legend>
        <Text size="2" weight="medium">
          {title}
        </Text>
      </legend>
      <Flex gap="3" wrap="wrap" align="end">
        {children}
      </Flex>
    </fieldset>
  );
}

/** Re-renders only when its props change, not on every point of a run. */
export const TopologyControls = memo(TopologyControlsView);
