// The cache chapter's stale-data lesson: product rows kept in Redis for a minute while prices
// change, the stale prices that costs when a change leaves the entry to its TTL (judged by the
// load generator, the one writer of prices), and none once a change deletes or rewrites it.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const CACHE_PRICES_LESSON: Lesson = {
  id: 'cache.stale-prices',
  title: 'Stale data in the cache: the TTL, or invalidation',
  goal: 'Leave cached product rows to their TTL while prices change and count the stale prices shoppers see; then delete (or rewrite) the entry on each change and see them go.',
  preset: 'app-cache',
  workload: 'cache-prices',
  rate: 100,
  steps: [
    'Set up the stage: three instances with Redis (cache-aside, TTL 60 s); shoppers read product pages through the API while 5% of requests change a price.',
    'Set the cache\u2019s "on a price change" to none and Apply: a change writes the database and leaves the product\u2019s entry in Redis as it was.',
    'Watch the stale prices: reads that showed a price older than its last change, each answered from Redis (X-Cache: HIT).',
    'Set it to invalidate and Apply: each change deletes the entry, so the next read loads the new row (a miss). Then set it to update: the change writes the new row in its place, and the next read is a hit with the new price.',
  ],
  watch: [
    'Stale reads, stale prices and lost sessions: the stale prices per second',
    'Cache hit ratio: Redis, as the entries are deleted or kept',
    'Database queries per node: what each delete costs in misses',
  ],
  expected:
    'Left to the TTL, most reads of a product changed in the last minute show its old price: the popular products change most and are read most, so a large share of the judged reads are stale, for up to the 60 s TTL. Deleting the entry on each change brings the stale prices to zero at the cost of one miss per change; rewriting it keeps the hit and the fresh price. Both still race a concurrent read that loads the old row just before the change, a window of milliseconds that a TTL still bounds.',
  predict: {
    question:
      'Product rows are cached 60 s. A price changes and the entry is left as it was. For how long can a shopper see the old price?',
    choices: [
      'Not at all: the database has the new price',
      'Up to 60 s: until the entry expires',
      'Until Redis runs out of memory',
    ],
    answer: 1,
    why: 'Cache-aside reads Redis first and only goes to the database on a miss; a kept entry is a hit with the old row until its TTL runs out. The TTL is the bound on staleness; invalidating on write removes it, at the cost of a miss.',
  },
  check: {
    describe:
      'a change deletes the entry (invalidate), Redis answering at least half the reads, no stale price, for 10 s',
    conditions: [
      { kind: 'topology', path: 'cache.invalidation', equals: 'update', label: 'rewrite on change' },
      { kind: 'series', series: SERIES.redisHitRatio, op: '>=', value: 0.5, label: 'Redis hit ratio' },
      { kind: 'series', series: SERIES.stalePrices, op: '<=', value: 0, label: 'stale prices/s' },
    ],
    holdSeconds: 10,
    withinSeconds: 180,
  },
};
