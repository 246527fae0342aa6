// diff(): what changes between two topologies, field by field, and how each is applied:
// 'live' (while load runs, nothing restarts) or 'restart' (one named service is recreated).
import { RULES } from './diff-rules.js';
import type { Topology } from './schema.js';

export type ChangeKind = 'live' | 'restart';

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
  kind: ChangeKind;
  /** Services this change touches (added, removed, updated or restarted). */
  services: string[];
  /** One line for the user: what will happen. */
  how: string;
}

export const DIFF_FIELDS: readonly string[] = Object.keys(RULES);

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

/** Fields of a component that is off in both topologies: changing them touches nothing that runs. */
const DORMANT: Array<[prefix: string, isOn: (t: Topology) => boolean, component: string]> = [
  ['cache.', (t) => t.cache.enabled, 'the cache'],
  ['monitoring.', (t) => t.monitoring.enabled, 'monitoring'],
  ['api.autoscale.', (t) => t.api.autoscale.enabled, 'the autoscaler'],
  ['loadBalancer.algorithm', (t) => t.loadBalancer.enabled, 'the load balancer'],
  ['loadBalancer.sticky', (t) => t.loadBalancer.enabled, 'the load balancer'],
  ['loadBalancer.securityHeaders', (t) => t.loadBalancer.enabled, 'the load balancer'],
  ['loadBalancer.tls', (t) => t.loadBalancer.enabled, 'the load balancer'],
  ['ports.tls', (t) => t.loadBalancer.enabled && t.loadBalancer.tls, 'HTTPS at the load balancer'],
  ['rateLimit.requestsPerSecond', (t) => t.rateLimit.enabled, 'the rate limit'],
  ...(['algorithm', 'clientLimit', 'windowSeconds', 'clientHeader'] as const).map(
    (k): [string, (t: Topology) => boolean, string] => [
      `rateLimit.${k}`,
      (t) => t.rateLimit.perClient,
      'the per-client limit',
    ],
  ),
  ['ports.edge', (t) => t.edgeCache.enabled, 'the edge cache'],
  ['database.replicaApplyDelayMs', (t) => t.database.replicas > 0, 'a replica'],
  ['database.pool', (t) => t.database.pooler !== 'none', 'the pooler'],
  ['database.etcdMembers', (t) => t.database.ha, 'high availability'],
  ['database.synchronous', (t) => t.database.ha, 'high availability'],
  ['database.sharding', (t) => t.database.shards > 1, 'sharding (database.shards above 1)'],
];

const ON_SWITCHES = ['cache.enabled', 'api.autoscale.enabled', 'monitoring.enabled'];

/** A value as a change shows it: a whole rules file is named, not printed. */
function shown(field: string, value: unknown): unknown {
  if (field !== 'monitoring.rules') return value;
  return typeof value === 'string'
    ? `your rules file (${value.trimEnd().split('\n').length} lines)`
    : 'made from the thresholds';
}

export function diff(from: Topology, to: Topology): Change[] {
  const a = flatten(from);
  const b = flatten(to);
  const changes: Change[] = [];
  for (const [field, value] of b) {
    // Lists (the charted queries) are compared by content.
    if (a.get(field) === value || (Array.isArray(value) && JSON.stringify(a.get(field)) === JSON.stringify(value)))
      continue;
    const rule = RULES[field];
    if (!rule) throw new Error(`diff: no rule for topology field ${field}`);
    const dormant = DORMANT.find(
      ([prefix, isOn]) => field.startsWith(prefix) && !ON_SWITCHES.includes(field) && !isOn(from) && !isOn(to),
    );
    const how = dormant
      ? { kind: 'live' as const, services: [], how: `kept for when ${dormant[2]} is on` }
      : rule(from, to);
    changes.push({ field, from: shown(field, a.get(field)), to: shown(field, value), ...how });
  }
  return changes;
}

/** True when every change applies with nothing restarted. */
export const isLive = (changes: Change[]) => changes.every((c) => c.kind === 'live');
