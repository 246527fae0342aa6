// The services a topology runs, named as the engine names them (core/topology/plan.ts), for the
// diagram of a recorded run: a report shows what the run had, not what runs now.
import type { ServiceStatus, StackStatus } from '../../contract/stack.js';
import type { Topology } from '../../contract/topology.js';

export function plannedStatus(t: Topology): StackStatus {
  const svc = (name: string, role: ServiceStatus['role']): ServiceStatus => ({ name, role, container: name, state: 'running', health: 'none', ports: {} });
  const services: ServiceStatus[] = [svc('db-primary', 'db')];
  for (let i = 1; i <= t.database.replicas; i++) services.push(svc(`db-replica-${i}`, 'db'));
  if (t.cache.enabled) services.push(svc('cache', 'cache'));
  for (let i = 1; i <= t.api.instances; i++) services.push(svc(`api-${i}`, 'api'));
  if (t.loadBalancer.enabled) services.push(svc('lb', 'lb'));
  if (t.edgeCache.enabled) services.push(svc('cdn', 'cdn'));
  return { stack: 'recorded', running: true, topology: t, services, entryUrl: null, lbUrl: null, edgeUrl: null, statsUrl: null };
}
