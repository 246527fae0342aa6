// The stack as a printed picture, for reports: client, edge cache, load balancer, API instances,
// cache, primary, replicas, each with its state where it is not running and its figure. (The
// console draws the live graph, stack-graph/StackGraph.tsx.)
import { SERIES } from '../../contract/series.js';
import { isReplicaName, isShardName, SERVICE } from '../../contract/services.js';
import type { ServiceStatus, StackStatus } from '../../contract/stack.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { apiTotal as totalOfApis, fmt, isBad, serviceFigure } from './stack-graph/service-figures.js';

interface Props {
  status: StackStatus;
  last: TimelinePoint | undefined;
}

function Node({
  s,
  v,
  apiTotal,
  services,
}: {
  s: ServiceStatus;
  v: Record<string, number | null>;
  apiTotal: number;
  services: ServiceStatus[];
}) {
  return (
    <div
      className={`node ${isBad(s) ? 'node-bad' : 'node-ok'}`}
      data-testid={`node-${s.name}`}
      data-state={s.state}
      data-health={s.health}
    >
      <div className="node-name">{s.name}</div>
      {s.state !== 'running' && (
        <div className="node-state">
          {s.state}
          {s.health !== 'none' ? ` · ${s.health}` : ''}
        </div>
      )}
      <div className="node-figure">{serviceFigure(s, v, apiTotal, services)}</div>
    </div>
  );
}

export function StackDiagram({ status, last }: Props) {
  const v = last?.v ?? {};
  const by = (pred: (s: ServiceStatus) => boolean) => status.services.filter(pred);
  const apiTotal = totalOfApis(status.services, v);
  const ha = status.services.some((s) => s.role === 'dbrouter');
  const tiers: Array<[string, ServiceStatus[]]> = [
    ['edge cache', by((s) => s.role === 'cdn')],
    ['load balancer', by((s) => s.role === 'lb')],
    ['API instances', by((s) => s.role === 'api')],
    ...(ha
      ? ([
          ['cache and database router', by((s) => s.role === 'cache' || s.role === 'dbrouter')],
          ['database nodes (Patroni)', by((s) => s.role === 'db')],
          ['etcd', by((s) => s.role === 'etcd')],
        ] as Array<[string, ServiceStatus[]]>)
      : ([
          ['cache and primary', by((s) => s.role === 'cache' || s.name === SERVICE.primary)],
          ['shards', by((s) => isShardName(s.name))],
          ['read replicas', by((s) => isReplicaName(s.name))],
        ] as Array<[string, ServiceStatus[]]>)),
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
                <Node key={s.name} s={s} v={v} apiTotal={apiTotal} services={status.services} />
              ))}
            </div>
          </div>
        ))}
    </div>
  );
}
