// The cache chapter's stampede lesson: one expensive page everyone asks for, its entry living a
// second. Each expiry sends every request that misses it before one has refilled it to the
// database; coalescing makes them share one load, refresh-ahead keeps the entry from expiring.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const STAMPEDE_LESSON: Lesson = {
  id: 'cache.stampede',
  title: 'Stampede: one hot key expires',
  goal: 'Let a hot, expensive entry expire every second under load and watch the misses stampede to the database; then make them share one load, and refresh the entry before it expires.',
  preset: 'app-cache',
  workload: 'cache-stampede',
  rate: 150,
  steps: [
    'Set up the stage: three instances with Redis; 150 requests/s, all for one category\u2019s top products (the expensive read, tens of ms with no index).',
    'Set the cache TTL to 1 s, misses of one key to none, and Apply: the entry expires every second.',
    'Watch database queries per second: every request that misses while the entry is being loaded queries too.',
    'Set misses of one key to redis-lock and Apply: the first miss takes a lock in Redis and loads, the others wait for the entry.',
    'Then switch refresh ahead of expiry on: a hit in the last fifth of the TTL reloads the entry in the background.',
  ],
  watch: [
    'Database queries per node: spikes at each expiry, then flat',
    'Latency: p99 (the requests that waited for a load)',
    'Where the time goes: the database part',
  ],
  expected:
    'Without coalescing each expiry sends a burst of queries to the primary and the requests behind them wait (measured on this stage at 150/s, TTL 1 s: 5\u201341 queries a second, p99 1.9 s); with the lock one query a second reaches the database and p99 falls to about 100 ms; with refresh-ahead no request waits for a load at all.',
  predict: {
    question:
      'The entry lives 1 s; the query behind it takes 50 ms; 150 requests/s ask for it. How many queries per expiry reach the database without coalescing?',
    choices: ['One', 'About 150 \u00d7 0.05 = 7 or more', 'All 150'],
    answer: 1,
    why: 'Every request arriving while the first load runs misses too: rate \u00d7 load time, and more once the queries slow each other down. Coalescing turns those into one load; refresh-ahead removes the miss itself.',
  },
  check: {
    describe:
      'TTL 1 s, misses coalesced through a lock in Redis, 100 requests/s or more and at most 5 database queries a second, for 10 s',
    conditions: [
      { kind: 'topology', path: 'cache.ttlSeconds', equals: 1, label: 'TTL 1 s' },
      { kind: 'topology', path: 'cache.coalescing', equals: 'redis-lock', label: 'lock in Redis' },
      { kind: 'series', series: SERIES.rps, op: '>=', value: 100, label: 'requests/s' },
      { kind: 'series', series: SERIES.dbQueries, op: '<=', value: 5, label: 'database queries/s' },
    ],
    holdSeconds: 10,
    withinSeconds: 240,
  },
};
