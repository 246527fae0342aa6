// Whether a change moves orders between shards, and between which: pure, asked by both targets'
// convergences (convergence-plan.ts on one engine, swarm-reshard.ts on Swarm).
import type { ShardLayout } from '../../../stack/api/src/shard-map.js';
import { shardHosts } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';

/** database.shards or sharding changed: new shards seeded (no orders), the API told to write by
 *  the new layout and read from every host, the misplaced orders moved; `hosts` are both layouts'. */
export interface ShardRebalance {
  kind: 'shard-rebalance';
  from: ShardLayout;
  to: ShardLayout;
  hosts: string[];
  added: string[];
}

/** The orders' move when database.shards or (over several shards) database.sharding changed, or
 *  null: the shards of both layouts, and those the old one did not have. */
export function reshardOf(from: Topology, to: Topology): ShardRebalance | null {
  const layout = (t: Topology): ShardLayout => ({ count: t.database.shards, mode: t.database.sharding });
  const resharded =
    from.database.shards !== to.database.shards ||
    (to.database.shards > 1 && from.database.sharding !== to.database.sharding);
  if (!resharded) return null;
  const before = shardHosts(from.database.shards);
  const hosts = shardHosts(Math.max(from.database.shards, to.database.shards));
  return {
    kind: 'shard-rebalance',
    from: layout(from),
    to: layout(to),
    hosts,
    added: hosts.filter((h) => !before.includes(h)),
  };
}
