// Scatter-gather over shards (database.shards): what the API does with the rows each shard returns.

/** The x-db-node of a response every shard answered. */
export const SCATTER_NODE = 'all-shards';
const TOP = 10;

export interface TopProductRow {
  id: number;
  name: string;
  revenue: number;
  orders: number;
}

/** One ranking from each shard's: a product's figures summed over the shards that have its orders
 *  (one, except while a rebalance moves them), the ten best by revenue. */
export function mergeTopProducts(perShard: TopProductRow[][]): TopProductRow[] {
  const byId = new Map<number, TopProductRow>();
  for (const row of perShard.flat()) {
    const seen = byId.get(row.id);
    byId.set(
      row.id,
      seen ? { ...seen, revenue: seen.revenue + row.revenue, orders: seen.orders + row.orders } : { ...row },
    );
  }
  return [...byId.values()].sort((a, b) => b.revenue - a.revenue || a.id - b.id).slice(0, TOP);
}
