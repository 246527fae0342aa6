// The edge chapter's dynamic-content lesson: product pages kept at the edge for a few seconds,
// the stale prices that costs (judged by the load generator, the one writer of prices), and a
// purge on every price change that removes them while the edge keeps its hit ratio.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const EDGE_PRICES_LESSON: Lesson = {
  id: 'edge.prices',
  title: 'Prices at the edge: a short TTL, then a purge',
  goal: 'Keep product pages at the edge for a few seconds, see the stale prices that costs while prices change, then purge a product on each change and keep the hit ratio without them.',
  preset: 'edge-cache',
  workload: 'edge-prices',
  rate: 100,
  steps: [
    'Set up the stage: nginx in front of HAProxy; shoppers read product pages through the edge while 3% of requests change a price.',
    'Set the edge\u2019s dynamic TTL to 5 s (edgeCache.dynamicTtlSeconds) and Apply: the edge restarts keeping each product page 5 s.',
    'Watch the edge\u2019s own hit ratio (nginx\u2019s count) and the stale prices: reads that showed a price older than its last change.',
    'Switch on purge on write (edgeCache.purgeOnWrite) and Apply: each price change now asks nginx to forget that product (its cache-purge module) before it answers.',
  ],
  watch: [
    'Cache hit ratio: the edge (nginx) line',
    'Stale reads, stale prices and lost sessions: the stale prices per second',
    'Latency: what the edge saves the origin',
  ],
  expected:
    'With a 5 s TTL the edge answers most product reads itself, and a good share of them show a price that already changed: up to 5 s old, on the most popular products most often, since they change most. With purge on write the stale prices drop to zero within a TTL and the hit ratio barely moves: only the changed product is forgotten. Purging makes the write slower and couples it to the edge; a short TTL is the cheaper bound when seconds of staleness are acceptable.',
  predict: {
    question:
      'Product pages are kept at the edge 5 s. A price changes. For how long can a shopper still see the old one?',
    choices: [
      'Not at all: the database has the new price',
      'Up to 5 s: until the edge\u2019s copy expires',
      'Until the cache in Redis expires',
    ],
    answer: 1,
    why: 'The edge answers from its copy without asking the origin until the copy\u2019s TTL runs out; the new price in the database is invisible to it. The TTL is the bound on staleness, unless the write tells the edge to forget (a purge).',
  },
  check: {
    describe: 'purge on write on, the edge keeping at least half the product reads, no stale price, for 10 s',
    conditions: [
      { kind: 'topology', path: 'edgeCache.purgeOnWrite', equals: true, label: 'purge on write' },
      { kind: 'series', series: SERIES.edgeHitRatio, op: '>=', value: 0.5, label: 'edge hit ratio' },
      { kind: 'series', series: SERIES.stalePrices, op: '<=', value: 0, label: 'stale prices/s' },
    ],
    holdSeconds: 10,
    withinSeconds: 180,
  },
};
