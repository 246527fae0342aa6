// Patroni on Swarm (database.ha), the pure decisions: the bootstrap settings a running node keeps
// in its spec, and the cluster-wide settings that go through Patroni's REST API instead (as on one
// engine: convergence-plan's patroni-config).
import type Docker from 'dockerode';
import type { Topology } from '../topology/schema.js';

/** Patroni switched on or off, or another etcd: the cluster's data directories and its leader key
 *  in etcd only make sense together, so the database tier (etcd, the nodes, the router) is made
 *  again from empty volumes and the API seeds it again, as on one engine (convergence-plan.ts). */
export const recreatesDatabaseTier = (changes: Array<{ field: string }>) =>
  changes.some((c) => c.field === 'database.ha' || c.field === 'database.etcdMembers');
export const DATABASE_TIER_ROLES: readonly string[] = ['db', 'etcd', 'dbrouter'];

/** Read by Patroni only when it bootstraps the cluster; after that the cluster's settings live in
 *  etcd and change through PATCH /config (patroniChange, sent by swarm-db-changes.ts). */
const BOOTSTRAP_ENV = ['SYNCHRONOUS=', 'MAX_CONNECTIONS='];

/** Under Patroni, each database service that runs keeps the bootstrap settings it was made with:
 *  a new value in its spec would restart every node (Swarm updates the service) and change nothing
 *  Patroni reads. Pure: returns the specs with those entries taken from the running ones. */
export function keepBootstrapEnv(
  t: Topology,
  wanted: Docker.CreateServiceOptions[],
  running: Array<{ Spec?: Docker.ServiceSpec }>,
): Docker.CreateServiceOptions[] {
  if (!t.database.ha) return wanted;
  const envOf = (s: { TaskTemplate?: unknown }) =>
    (s.TaskTemplate as { ContainerSpec?: { Env?: string[] } } | undefined)?.ContainerSpec?.Env ?? [];
  const byName = new Map(running.map((r) => [r.Spec?.Name, envOf(r.Spec ?? {})]));
  return wanted.map((w) => {
    const before = byName.get(w.Name);
    const env = envOf(w);
    if (!before || !env.some((e) => e.startsWith('HA=1'))) return w;
    const kept = (e: string) => before.find((b) => BOOTSTRAP_ENV.some((k) => e.startsWith(k) && b.startsWith(k)));
    const next = env.map((e) => kept(e) ?? e);
    const task = w.TaskTemplate as { ContainerSpec: Record<string, unknown> };
    return { ...w, TaskTemplate: { ...task, ContainerSpec: { ...task.ContainerSpec, Env: next } } };
  });
}

/** The cluster-wide settings to PATCH through Patroni after a change, or null. Pure. */
export function patroniChange(from: Topology, to: Topology) {
  if (!to.database.ha || !from.database.ha) return null;
  const { synchronous, maxConnections } = to.database;
  if (from.database.synchronous === synchronous && from.database.maxConnections === maxConnections) return null;
  return {
    kind: 'patroni-config' as const,
    synchronous,
    maxConnections,
    restart: from.database.maxConnections !== maxConnections,
  };
}
