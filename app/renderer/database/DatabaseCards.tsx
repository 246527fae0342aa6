// The database's cards under the running stack, each where its switch is on: the query plan, the
// backups, the shards, the high-availability drills.
import type { TimelinePoint } from '../../contract/runs.js';
import { shardHosts } from '../../contract/services.js';
import type { RebalanceFigures } from '../../contract/stack.js';
import type { Topology } from '../../contract/topology.js';
import { BackupCard } from './BackupCard.js';
import { HaCard } from './HaCard.js';
import { QueryPlanCard } from './QueryPlanCard.js';
import { ShardCard } from './ShardCard.js';

interface Props {
  topology: Topology | null;
  last: TimelinePoint | undefined;
  /** What the last re-sharding applied from this console moved. */
  rebalance: RebalanceFigures | null;
}

export function DatabaseCards({ topology, last, rebalance }: Props) {
  const db = topology?.database;
  return (
    <>
      <QueryPlanCard indexes={!!db?.indexes} />
      {db?.backups && <BackupCard />}
      {db && db.shards > 1 && (
        <ShardCard shards={shardHosts(db.shards)} mode={db.sharding} last={last} rebalance={rebalance} />
      )}
      {db?.ha && <HaCard synchronous={db.synchronous} />}
    </>
  );
}
