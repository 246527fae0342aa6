// The services a topology runs, named as the engine names them (core/topology/plan.ts), for the
// diagram of a recorded run: a report or a replay shows what the run had, not what runs now.
import type { RunEvent } from '../../contract/runs.js';
import type { ContainerState, FaultKind, ServiceStatus, StackStatus } from '../../contract/stack.js';
import { apiName, etcdName, replicaName, SERVICE } from '../../contract/services.js';
import type { Topology } from '../../contract/topology.js';

export function plannedStatus(t: Topology): StackStatus {
  const svc = (name: string, role: ServiceStatus['role']): ServiceStatus => ({
    name,
    role,
    container: name,
    state: 'running',
    health: 'none',
    ports: {},
  });
  const services: ServiceStatus[] = [svc(SERVICE.primary, 'db')];
  for (let i = 1; i <= t.database.replicas; i++) services.push(svc(replicaName(i), 'db'));
  if (t.database.ha) {
    services.push(svc(SERVICE.dbRouter, 'dbrouter'));
    for (let i = 1; i <= t.database.etcdMembers; i++) services.push(svc(etcdName(i), 'etcd'));
  }
  if (t.cache.enabled) services.push(svc(SERVICE.cache, 'cache'));
  for (let i = 1; i <= t.api.instances; i++) services.push(svc(apiName(i), 'api'));
  if (t.loadBalancer.enabled) services.push(svc(SERVICE.lb, 'lb'));
  if (t.edgeCache.enabled) services.push(svc(SERVICE.cdn, 'cdn'));
  return {
    stack: 'recorded',
    running: true,
    topology: t,
    services,
    entryUrl: null,
    lbUrl: null,
    edgeUrl: null,
    statsUrl: null,
  };
}

/** What a fault leaves a container in (pause-replay leaves it running, its replay stopped). */
const AFTER_FAULT: Partial<Record<FaultKind, ContainerState>> = {
  kill: 'exited',
  stop: 'exited',
  pause: 'paused',
  unpause: 'running',
  start: 'running',
  restart: 'running',
};

/** The stack as it stood at a moment of a recorded run: the run's topology with the switches
 *  made so far applied, and each fault's service in the state it left it (a replay's diagram). */
export function recordedStatus(t: Topology, events: RunEvent[]): StackStatus {
  const topology = structuredClone(t);
  const states = new Map<string, ContainerState>();
  for (const e of events) {
    const d = (e.detail ?? {}) as { field?: string; to?: unknown; service?: string; kind?: FaultKind };
    if (e.kind === 'switch' && d.field) setField(topology, d.field, d.to);
    const after = e.kind === 'fault' && d.service && d.kind ? AFTER_FAULT[d.kind] : undefined;
    if (after) states.set(d.service!, after);
  }
  const status = plannedStatus(topology);
  status.services = status.services.map((s) => ({ ...s, state: states.get(s.name) ?? s.state }));
  return status;
}

/** Sets "cache.enabled" on a topology; a path it does not have is left alone. */
function setField(t: Topology, field: string, value: unknown): void {
  const path = field.split('.');
  let at = t as unknown as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) return;
    at = at[key] as Record<string, unknown>;
  }
  if (path[path.length - 1] in at) at[path[path.length - 1]] = value;
}
