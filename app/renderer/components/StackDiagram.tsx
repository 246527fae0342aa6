// The running topology as a diagram: client, edge cache, load balancer, API instances, cache,
// primary, replicas. Each node shows state, health and a live figure, and offers its faults.
import { FAMILY, SERIES, seriesKey } from '../../contract/series.js';
import { isReplicaName, SERVICE } from '../../contract/services.js';
import type { FaultKind, ServiceStatus, StackStatus } from '../../contract/stack.js';
import type { TimelinePoint } from '../../contract/runs.js';

/** Without onFault the diagram is a picture (reports, replays): no fault or log buttons, and a
 *  state line only where a service is not running. */
interface Props {
  status: StackStatus;
  last: TimelinePoint | undefined;
  onFault?: (service: string, kind: FaultKind) => void;
  onLogs?: (service: string) => void;
  disabled?: boolean;
}

const fmt = (v: number | null | undefined, d = 0, unit = '') =>
  typeof v === 'number' ? `${v.toFixed(d)}${unit}` : '–';

/** An instance's share of the requests all instances served this second (" · 33%"), or nothing. */
function share(rps: number | null | undefined, apiTotal: number): string {
  return typeof rps === 'number' && apiTotal > 0 ? ` · ${Math.round((rps / apiTotal) * 100)}%` : '';
}

function figure(s: ServiceStatus, v: Record<string, number | null>, apiTotal: number): string {
  if (s.role === 'api')
    return `${fmt(v[FAMILY.apiRps.key(s.name)])} req/s${share(v[FAMILY.apiRps.key(s.name)], apiTotal)}`;
  if (s.role === 'cache') return `hit ${fmt(v[SERIES.redisHitRatio], 2)}`;
  if (isReplicaName(s.name))
    return v[seriesKey.lag(s.name, 'idle')] === 1
      ? 'lag: idle'
      : `lag ${fmt(v[seriesKey.lag(s.name, 'seconds')], 2, ' s')}`;
  if (s.name === SERVICE.primary) return `${fmt(v[FAMILY.dbQueriesOn.key('primary')])} q/s`;
  if (s.role === 'lb') return `${fmt(v[SERIES.rps])} req/s`;
  return '';
}

const FAULTS: Record<string, Array<[FaultKind, string]>> = {
  api: [
    ['kill', 'kill'],
    ['pause', 'pause'],
    ['restart', 'restart'],
  ],
  cache: [['stop', 'stop']],
  replica: [
    ['pause-replay', 'pause replay'],
    ['resume-replay', 'resume replay'],
  ],
  primary: [['stop', 'stop']],
};

function Node({
  s,
  v,
  apiTotal,
  onFault,
  onLogs,
  disabled = false,
}: {
  s: ServiceStatus;
  v: Record<string, number | null>;
  apiTotal: number;
  onFault: Props['onFault'];
  onLogs: Props['onLogs'];
  disabled?: boolean;
}) {
  const bad = s.state !== 'running' || s.health === 'unhealthy';
  const kind = s.role === 'db' ? (s.name === SERVICE.primary ? 'primary' : 'replica') : s.role;
  const recover: Array<[FaultKind, string]> =
    s.state === 'paused' ? [['unpause', 'unpause']] : s.state !== 'running' ? [['start', 'start']] : [];
  return (
    <div
      className={`node ${bad ? 'node-bad' : 'node-ok'}`}
      data-testid={`node-${s.name}`}
      data-state={s.state}
      data-health={s.health}
    >
      <div className="node-name">{s.name}</div>
      {(onFault || s.state !== 'running') && (
        <div className="node-state">
          {s.state}
          {s.health !== 'none' ? ` · ${s.health}` : ''}
        </div>
      )}
      <div className="node-figure">{figure(s, v, apiTotal)}</div>
      {onFault && onLogs && (
        <div className="node-faults">
          {[...(s.state === 'running' ? (FAULTS[kind] ?? []) : []), ...recover].map(([k, label]) => (
            <button key={k} disabled={disabled} onClick={() => onFault(s.name, k)} data-testid={`fault-${s.name}-${k}`}>
              {label}
            </button>
          ))}
          <button onClick={() => onLogs(s.name)} data-testid={`logs-${s.name}`}>
            logs
          </button>
        </div>
      )}
    </div>
  );
}

export function StackDiagram({ status, last, onFault, onLogs, disabled }: Props) {
  const v = last?.v ?? {};
  const by = (pred: (s: ServiceStatus) => boolean) => status.services.filter(pred);
  const apiTotal = by((s) => s.role === 'api').reduce((sum, s) => sum + (v[FAMILY.apiRps.key(s.name)] ?? 0), 0);
  const tiers: Array<[string, ServiceStatus[]]> = [
    ['edge cache', by((s) => s.role === 'cdn')],
    ['load balancer', by((s) => s.role === 'lb')],
    ['API instances', by((s) => s.role === 'api')],
    ['cache and primary', by((s) => s.role === 'cache' || s.name === SERVICE.primary)],
    ['read replicas', by((s) => isReplicaName(s.name))],
  ];
  return (
    <div className="diagram" data-testid="stack-diagram">
      <div className="tier">
        <div className="tier-label">client</div>
        <div className="tier-nodes">
          <div className="node node-ok">
            <div className="node-name">load generator</div>
            <div className="node-figure">{fmt(v[SERIES.rps])} req/s</div>
          </div>
        </div>
      </div>
      {tiers
        .filter(([, list]) => list.length)
        .map(([label, list]) => (
          <div className="tier" key={label}>
            <div className="tier-label">{label}</div>
            <div className="tier-nodes">
              {list.map((s) => (
                <Node
                  key={s.name}
                  s={s}
                  v={v}
                  apiTotal={apiTotal}
                  onFault={onFault}
                  onLogs={onLogs}
                  disabled={disabled}
                />
              ))}
            </div>
          </div>
        ))}
    </div>
  );
}
