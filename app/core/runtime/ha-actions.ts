// database.ha, from the runtime: the endpoints of Patroni's REST API on the published ports, the
// node that leads now (the primary's name is where it started, not where it is), and the
// cluster-wide settings pushed through Patroni rather than into one container.
import type { ServiceStatus } from '../../contract/stack.js';
import { isDbNodeName, SERVICE } from '../../contract/services.js';
import { patchConfig, readCluster, restartPending, type HttpVia, type PatroniEndpoint } from '../database/patroni.js';
import type { ConvergeAction } from './convergence-plan.js';

/** Each running database node's REST API: its published port; or, given the way onto the Swarm
 *  overlay (where a task publishes none; only under database.ha), its name there. */
export function patroniEndpoints(services: ServiceStatus[], overlay?: HttpVia | null): PatroniEndpoint[] {
  return services
    .filter((s) => isDbNodeName(s.name) && s.state === 'running')
    .flatMap((s): PatroniEndpoint[] => {
      if (s.ports.patroni) return [{ name: s.name, address: s.ports.patroni }];
      return overlay ? [{ name: s.name, address: `${s.name}:8008`, via: overlay }] : [];
    });
}

/** The node that is primary now: Patroni's leader under HA, else db-primary. */
export async function leaderName(services: ServiceStatus[], overlay?: HttpVia | null): Promise<string> {
  const endpoints = patroniEndpoints(services, overlay);
  if (!endpoints.length) return SERVICE.primary;
  return (await readCluster(endpoints))?.leader ?? SERVICE.primary;
}

export async function applyPatroniConfig(
  services: ServiceStatus[],
  a: Omit<Extract<ConvergeAction, { kind: 'patroni-config' }>, 'kind'>,
  say: (service: string, message: string) => void,
  overlay?: HttpVia | null,
): Promise<void> {
  const endpoints = patroniEndpoints(services, overlay);
  say(SERVICE.primary, `Patroni: synchronous_mode ${a.synchronous}, max_connections ${a.maxConnections}`);
  await patchConfig(endpoints, {
    synchronous_mode: a.synchronous,
    postgresql: { parameters: { max_connections: a.maxConnections } },
  });
  if (!a.restart) return;
  const restarted = await restartPending(endpoints);
  for (const name of restarted) say(name, 'restarted by Patroni for the new max_connections');
}
