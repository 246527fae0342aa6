// Sharding's figures as rows (label, value, what it measures), shared by the console's card and
// the report: the last rebalance, and how the shards share the queries now.
import type { RebalanceFigures } from './stack.js';

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const layout = (l: RebalanceFigures['from']) => `${l.count} shard${l.count > 1 ? 's' : ''} by ${l.mode}`;

export function rebalanceRows(r: RebalanceFigures): string[][] {
  return [
    ['layout', `${layout(r.from)} → ${layout(r.to)}`, 'the layout the orders moved from and to'],
    [
      'buckets moving',
      `${r.bucketsMoving} of 64`,
      'product-id buckets whose shard changed (jump consistent hashing moves about 1/N; a new range moves most)',
    ],
    ['rows moved', n(r.rowsMoved), 'orders deleted on one shard and inserted on another, in batches'],
    ['took', `${r.seconds.toFixed(1)} s`, 'from the first batch to the last check'],
    ['rate', `${n(r.rowsPerSecond)} rows/s`, 'rows moved over the time it took, measured by the engine'],
    [
      'left misplaced',
      n(r.leftMisplaced),
      'orders still on a shard the new layout does not give them to, counted at the end: 0 expected',
    ],
    ...Object.entries(r.rowsPerShard).map(([name, rows]) => [`orders on ${name}`, n(rows), 'counted after the move']),
  ];
}
