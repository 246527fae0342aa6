// The database chapter's sharding lesson: orders spread over primaries by product, range against
// hash under Zipf-popular products, and a shard added under load.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const SHARDING_LESSON: Lesson = {
  id: 'database.sharding',
  title: 'Sharding: range, hash and a hot shard',
  goal: 'Spread the orders over three primaries by product, see a range of popular products make one shard hot, then re-shard by hash and add a shard while load runs.',
  preset: 'sharding',
  workload: 'sharded',
  rate: 80,
  steps: [
    'Set up the stage: three shards (db-primary, db-shard-1, db-shard-2), each a primary with the orders of its products, sharded by range of product id.',
    'Start load: popular products (low ids, Zipf) are ordered and read most. Watch the queries per node.',
    'Switch sharding to hash and Apply: the orders move between the shards while load runs.',
    'Then set shards to 4 and Apply: only the buckets the new shard takes move; the apply reports the rows moved and the rate.',
  ],
  watch: [
    'database queries per node: one shard far above the others under range, even under hash',
    "the category page's Server-Timing: a scatter-gather over every shard, as slow as the slowest",
    'the error rate while rows move: reads ask every shard meanwhile, so none should fail',
  ],
  expected:
    'Under range sharding the shard holding ids 1 to 3,333 takes most of the traffic, because popular products have low ids: the busiest shard runs at about twice the mean. Hash spreads each range of ids over every shard, and the load evens out. Adding a fourth shard with jump consistent hashing moves about a quarter of the rows; a range layout would have moved most of them.',
  predict: {
    question: 'Products with low ids are the most popular. Which layout puts them all on one shard?',
    choices: [
      'Hash: the hash of a low id is low',
      'Range: neighbouring ids share a range, and a range lives on one shard',
      'Neither: each shard always gets a third of the orders',
    ],
    answer: 1,
    why: 'A range layout keeps neighbouring keys together, which suits range scans but concentrates whatever is popular; a hash scatters neighbours over every shard. The price of hash is that a query over a range of keys (or a whole category) has to ask every shard.',
  },
  check: {
    describe:
      'sharded by range, the busiest shard takes at least 1.5 times the mean queries, error rate under 2%, for 10 s',
    conditions: [
      { kind: 'topology', path: 'database.sharding', equals: 'range', label: 'range sharding' },
      { kind: 'series', series: SERIES.dbShardSkew, op: '>=', value: 1.5, label: 'busiest shard / mean' },
      { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.02, label: 'error rate' },
    ],
    holdSeconds: 10,
    withinSeconds: 180,
  },
};
