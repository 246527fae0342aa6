// The running topology as a diagram: client, edge cache, load balancer, API instances, cache,
// primary, replicas. Each node shows state, health and a live figure, and offers its faults.
import { SERIES } from '../../contract/series.js';
import { isReplicaName, SERVICE } from '../../contract/services.js';
import type { FaultKind, ServiceStatus, StackStatus } from '../../contract/stack.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { apiTotal as totalOfApis, fmt, isBad, serviceFaults, serviceFigure } from './stack-graph/service-figures.js';

/** Without onFault the diagram is a picture (reports, replays): no fault or log buttons, and a
 *  state line only where a service is not running. */
interface Props {
  status: StackStatus;
  last: TimelinePoint | undefined;
  onFault?: (service: string, kind: FaultKind) => void;
  onLogs?: (service: string) => void;
  disabled?: boolean;
}

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
  const bad = isBad(s);
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
      <div className="node-figure">{serviceFigure(s, v, apiTotal)}</div>
      {onFault && onLogs && (
        <div className="node-faults">
          {serviceFaults(s).map(([k, label]) => (
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
  const apiTotal = totalOfApis(status.services, v);
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
