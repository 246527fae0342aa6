// The cache chapter's eviction lesson: Redis held to a few MB, product pages of about 2 KB read by
// popularity while a crawler scans every page once. LRU keeps what was asked last (the scan's
// one-off pages); LFU keeps what is asked most, and with it the hit ratio.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const EVICTION_LESSON: Lesson = {
  id: 'cache.eviction',
  title: 'Eviction under a scan: LRU or LFU',
  goal: 'Fill a small Redis with product pages while a crawler scans every page once, and see which eviction policy keeps the popular pages: the one that remembers when a key was asked, or how often.',
  preset: 'app-cache',
  workload: 'hot-and-scan',
  rate: 150,
  steps: [
    'Set up the stage: three instances with Redis; shoppers read 200 popular product pages (about 2 KB each) while a crawler asks 1,800 others once each, in order, four times as fast.',
    'Set the cache\u2019s max MB to 3, its TTL to 600 s and eviction to allkeys-lru, and Apply: Redis fills within seconds and starts evicting.',
    'Watch Redis\u2019s hit ratio and the keys evicted each second.',
    'Set eviction to allkeys-lfu and Apply (CONFIG SET, live): Redis now evicts the keys asked least often.',
  ],
  watch: [
    'Cache hit ratio: Redis',
    'Redis: memory used (at its limit) and keys evicted per second',
    'Database queries per node: every miss is a query',
  ],
  expected:
    'Under LRU every scanned page is, for a moment, the most recently used key: a steady stream of one-off pages pushes out popular pages that were not asked in the last few seconds, and the hit ratio sags. LFU keeps a count per key: the scan\u2019s pages are asked once and go first, the popular pages stay, and the hit ratio rises within a few seconds of the switch. The scan\u2019s own reads miss under both: a cache cannot help what is asked once.',
  predict: {
    question: 'A crawler reads every page once while shoppers read the popular ones. Which policy keeps more hits?',
    choices: [
      'LRU: it keeps what was asked most recently',
      'LFU: it keeps what is asked most often',
      'Neither: the crawler\u2019s pages miss anyway',
    ],
    answer: 1,
    why: 'Recency is a poor guide when a scan makes every new key the most recent; frequency tells a page asked once from a page asked every second. That is why LFU (or scan-resistant variants of LRU, as databases use for their buffer pools) exists.',
  },
  check: {
    describe:
      'eviction on allkeys-lfu, Redis evicting keys and answering at least 14% of the reads (the popular fifth), for 10 s',
    conditions: [
      { kind: 'topology', path: 'cache.evictionPolicy', equals: 'allkeys-lfu', label: 'LFU' },
      { kind: 'series', series: SERIES.redisEvictions, op: '>=', value: 1, label: 'keys evicted/s' },
      { kind: 'series', series: SERIES.redisHitRatio, op: '>=', value: 0.14, label: 'Redis hit ratio' },
    ],
    holdSeconds: 10,
    withinSeconds: 180,
  },
};
