// Which shard holds a product's orders (database.shards, database.sharding), purely: shared by the
// API (which routes by it), its seed (which writes each shard its own share) and the engine (which
// moves rows when the layout changes). Products fall into 64 buckets, and buckets into shards, the
// way Citus and Vitess split a key space: a move then is a list of buckets, not of rows.
//  - hash: a product's bucket comes from a multiplicative hash of its id (popular products spread
//    over every shard); buckets go to shards by jump consistent hashing (Lamping and Veach, 2014),
//    so adding a shard moves only the buckets the new shard takes, about 1/N of the rows.
//  - range: contiguous product ids share a bucket and contiguous buckets a shard, so a range of
//    popular products makes one shard hot, and every boundary moves when a shard is added.

export const BUCKETS = 64;
export type ShardingMode = 'hash' | 'range';

export interface ShardLayout {
  count: number;
  mode: ShardingMode;
}

/** Knuth's multiplicative hash (2^32 / golden ratio), top six bits of 32. */
const GOLDEN = 2654435761;
const TWO_32 = 4294967296;
const TOP_SIX = TWO_32 / BUCKETS;

/** The bucket of a product (ids 1..products). */
export function bucketOf(productId: number, mode: ShardingMode, products: number): number {
  if (mode === 'range') return Math.min(BUCKETS - 1, Math.floor(((productId - 1) * BUCKETS) / products));
  return Math.floor(((productId * GOLDEN) % TWO_32) / TOP_SIX);
}

/** The same bucket as SQL over an integer column (the seed filters and the mover selects by it). */
export function bucketSql(mode: ShardingMode, products: number, column = 'product_id'): string {
  if (mode === 'range') return `LEAST(${BUCKETS - 1}, ((${column} - 1)::bigint * ${BUCKETS}) / ${products})`;
  return `(((${column}::bigint * ${GOLDEN}) % ${TWO_32}) / ${TOP_SIX})`;
}

/** Jump consistent hash: the shard (0..count-1) of a key; from count to count+1 a key either
 *  stays or moves to the new shard. */
export function jumpHash(key: number, count: number): number {
  let k = BigInt(key);
  let b = -1;
  let j = 0;
  while (j < count) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** Layouts' maps, each computed once: the API looks one up on every write and product read. */
const maps = new Map<string, readonly number[]>();

/** Bucket → shard for a layout. */
export function shardMap({ count, mode }: ShardLayout): readonly number[] {
  const key = `${count}:${mode}`;
  let map = maps.get(key);
  if (!map) {
    map = Array.from({ length: BUCKETS }, (_, b) =>
      mode === 'range' ? Math.floor((b * count) / BUCKETS) : jumpHash(b, count),
    );
    maps.set(key, map);
  }
  return map;
}

/** The shard that holds a product's orders under a layout. */
export function shardOf(productId: number, layout: ShardLayout, products: number): number {
  return shardMap(layout)[bucketOf(productId, layout.mode, products)]!;
}

/** The database node (as db.ts names them) that takes a product's writes: shard 0 is the primary. */
export function ownerNode(
  productId: number,
  shards: ShardLayout & { hosts: readonly string[] },
  products: number,
): string {
  const k = shards.count > 1 ? shardOf(productId, shards, products) : 0;
  return k === 0 ? 'primary' : shards.hosts[k]!;
}

/** The shard of each row as SQL: the layout's map indexed by the row's bucket. */
export function ownerSql(layout: ShardLayout, products: number, column = 'product_id'): string {
  return `(ARRAY[${shardMap(layout).join(',')}])[${bucketSql(layout.mode, products, column)} + 1]`;
}

/** How many of the 64 buckets change shard between two layouts of the same mode (the share of
 *  the key space a rebalance moves); across modes a bucket means other products, so all may. */
export function bucketsMoving(from: ShardLayout, to: ShardLayout): number {
  if (from.mode !== to.mode) return BUCKETS;
  const a = shardMap(from);
  const b = shardMap(to);
  return a.filter((s, i) => s !== b[i]).length;
}
