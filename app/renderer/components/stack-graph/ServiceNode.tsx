// One service in the graph: its name and state, its live figure, a sparkline of its main series,
// and its actions (faults, logs) in a menu. Without actions (a replay) it is a picture.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Badge, DropdownMenu, IconButton } from '@radix-ui/themes';
import { EllipsisVertical } from 'lucide-react';
import type { FaultKind, ServiceStatus } from '../../../contract/stack.js';
import { BASE_VERSION } from '../../../contract/topology.js';
import { Sparkline } from './Sparkline.js';
import { isBad, serviceFaults } from './service-figures.js';

export interface ServiceNodeData extends Record<string, unknown> {
  name: string;
  service: ServiceStatus | null;
  figure: string;
  spark: Array<number | null>;
  sparkWhat: string;
  onFault?: (service: string, kind: FaultKind) => void;
  onLogs?: (service: string) => void;
  disabled?: boolean;
}
export type ServiceNodeType = Node<ServiceNodeData, 'service'>;

const stateColor = (s: ServiceStatus) =>
  s.state !== 'running' ? 'red' : s.health === 'unhealthy' ? 'red' : s.health === 'starting' ? 'amber' : 'green';

const stateText = (s: ServiceStatus) => `${s.state}${s.health !== 'none' ? ` · ${s.health}` : ''}`;

function Actions({ s, data }: { s: ServiceStatus; data: ServiceNodeData }) {
  const { onFault, onLogs, disabled } = data;
  // A Swarm task on another node: this engine cannot reach inside it.
  if (!onFault || !onLogs || s.remote) return null;
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger>
        <IconButton
          size="1"
          variant="ghost"
          className="nodrag nopan node-menu"
          aria-label={`actions for ${s.name}`}
          data-testid={`node-menu-${s.name}`}
        >
          <EllipsisVertical size={14} />
        </IconButton>
      </DropdownMenu.Trigger>
      <DropdownMenu.Content size="1">
        {serviceFaults(s).map(([kind, label]) => (
          <DropdownMenu.Item
            key={kind}
            disabled={disabled}
            color={kind === 'kill' || kind === 'stop' ? 'red' : undefined}
            onSelect={() => onFault(s.name, kind)}
            data-testid={`fault-${s.name}-${kind}`}
          >
            {label}
          </DropdownMenu.Item>
        ))}
        <DropdownMenu.Separator />
        <DropdownMenu.Item onSelect={() => onLogs(s.name)} data-testid={`logs-${s.name}`}>
          last log lines
        </DropdownMenu.Item>
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}

export function ServiceNode({ data }: NodeProps<ServiceNodeType>) {
  const s = data.service;
  const bad = s ? isBad(s) : false;
  return (
    <div
      className={`graph-node ${bad ? 'node-bad' : 'node-ok'}`}
      data-testid={`node-${data.name}`}
      data-state={s?.state}
      data-health={s?.health}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} className="graph-handle" />
      <div className="graph-node-head">
        <span className="node-name">{s ? data.name : 'load generator'}</span>
        {s && (
          <span
            className="state-dot"
            role="img"
            aria-label={stateText(s)}
            title={stateText(s)}
            style={{ background: `var(--${stateColor(s)}-9)` }}
          />
        )}
        {s && <Actions s={s} data={data} />}
      </div>
      {s?.node && (
        <span
          className="node-host"
          data-testid={`node-host-${s.name}`}
          title={s.remote ? `a task on Swarm node ${s.node}` : `on Swarm node ${s.node}, this engine`}
        >
          on {s.node}
        </span>
      )}
      {s?.role === 'api' && s.version && s.version !== BASE_VERSION && (
        <Badge size="1" color="iris" variant="soft" className="node-state" data-testid={`node-version-${s.name}`}>
          {s.version}
        </Badge>
      )}
      {s && (s.state !== 'running' || s.health === 'unhealthy' || s.health === 'starting') && (
        <Badge size="1" color={stateColor(s)} variant="soft" className="node-state">
          {stateText(s)}
        </Badge>
      )}
      <div className="node-figure" title={data.figure}>
        {data.figure}
      </div>
      <Sparkline values={data.spark} what={data.sparkWhat} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="graph-handle" />
    </div>
  );
}
