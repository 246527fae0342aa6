// Chapter 6 of the course, the database: read replicas and read-your-writes, indexes, pooling,
// failover with Patroni, synchronous standbys.
import type { Chapter } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';
import { RESILIENCE_LESSONS } from './lessons-resilience.js';
import { SHARDING_LESSON } from './lesson-sharding.js';

export const DATABASE: Chapter = {
  id: 'database',
  number: 6,
  title: 'The database',
  summary:
    'Read replicas take the reads; they lag behind the primary, and reads after writes show it. Connections are a limit of their own: a pooler shares a few among many clients. An index turns a scan into a lookup. And a primary that dies is replaced: Patroni promotes a replica, with or without losing writes.',
  lessons: [
    {
      id: 'database.read-replicas',
      title: 'Read replicas and read-your-writes',
      goal: 'Send reads to two streaming replicas, provoke lag, then make reads after a write consistent.',
      preset: 'read-replicas',
      workload: 'mixed',
      rate: 60,
      steps: [
        'Set up the stage: two replicas streaming from the primary; the mixed workload.',
        'Set the apply delay to 500 ms and Apply: stale reads appear.',
        'Turn read-your-writes on and Apply.',
      ],
      watch: [
        'replication lag per replica (idle when nothing is written)',
        'stale reads appearing with the delay',
        'stale reads vanishing with read-your-writes, reads after a write moving to the primary',
      ],
      expected:
        'Replicas answer most reads. With a 500 ms delay some reads right after a write miss it; with read-your-writes those go to the primary and stale reads drop to zero.',
      predict: {
        question: 'Replicas apply changes 500 ms late. You turn read-your-writes on. Where do reads go now?',
        choices: [
          'All to the primary',
          'A user\u2019s reads right after their own write go to the primary; the rest stay on replicas',
          'Still to replicas, which now wait for the write',
        ],
        answer: 1,
        why: 'Read-your-writes only needs the writer to see their own write: for a short window after it their reads go to the primary, everyone else\u2019s still spread over the replicas.',
      },
      check: {
        describe: 'with read-your-writes on, replicas answer reads and no read is stale, for 10 s',
        conditions: [
          { kind: 'topology', path: 'database.readYourWrites', equals: true, label: 'read-your-writes on' },
          {
            kind: 'family',
            family: 'dbNode',
            agg: 'sum',
            prefix: 'db-replica-',
            op: '>=',
            value: 1,
            label: 'reads on replicas/s',
          },
          { kind: 'series', series: SERIES.stale, op: '<=', value: 0, label: 'stale reads/s' },
        ],
        holdSeconds: 10,
        withinSeconds: 120,
      },
    },
    {
      id: 'database.indexes',
      title: 'An index for the expensive read',
      goal: 'See why the category page is slow in its query plan, build the index it needs while load runs, and measure the difference.',
      preset: 'three-tier',
      workload: 'read-heavy',
      rate: 100,
      steps: [
        'Set up the stage: one API instance and no cache, so every category page reaches PostgreSQL.',
        'Explain the expensive read (Query plan, under the stack): every table is read whole.',
        'Switch "indexes for the expensive read" on and Apply: CREATE INDEX CONCURRENTLY builds them while the load goes on.',
        'Explain again and compare the two plans.',
      ],
      watch: [
        'p95 of the category pages (p95 by endpoint) and the database part of Server-Timing',
        'the plan: a Seq Scan on orders before, index scans after',
        'the error rate: nothing fails while the indexes are built',
      ],
      expected:
        "Before, PostgreSQL reads all 300,000 orders for every category page, tens of milliseconds each. With the indexes it reads only that category's products and their orders: the page's p95 falls several-fold, and no request failed while the indexes were built.",
      predict: {
        question:
          "The category page adds up the orders of one category's 500 products, out of 10,000. What does an index on orders(product_id) change?",
        choices: [
          'Nothing: it still has to add up every order',
          'PostgreSQL reads only the orders of those 500 products instead of all 300,000',
          'Only writes change: they get faster',
        ],
        answer: 1,
        why: "Without the index the only way to find a product's orders is to read them all. With it, PostgreSQL looks up each product's few orders, and since the index includes the columns summed, it need not touch the table at all. Writes pay a little for it: each insert updates the index too.",
      },
      check: {
        describe: 'with the indexes on, category pages answer with p95 under 30 ms, for 10 s',
        conditions: [
          { kind: 'topology', path: 'database.indexes', equals: true, label: 'indexes on' },
          {
            kind: 'family',
            family: 'endpointP95',
            agg: 'max',
            prefix: 'expensive-read',
            op: '<=',
            value: 30,
            label: 'category page p95 (ms)',
          },
        ],
        holdSeconds: 10,
        withinSeconds: 180,
      },
    },
    {
      id: 'database.pooling',
      title: 'Connection pooling with PgBouncer',
      goal: 'Eight API instances ask for 80 connections from a primary that allows 40: watch requests fail, then put PgBouncer between them.',
      preset: 'connection-pooling',
      workload: 'read-heavy',
      rate: 60,
      steps: [
        'Set up the stage: 8 API instances, each keeping its pool of 10 connections open; the primary allows 40 (max_connections).',
        'Start load: the instances that came up last got no connection, and their requests fail.',
        'Set the pooler to pgbouncer and Apply: every instance reconnects through the PgBouncer beside the primary.',
      ],
      watch: [
        "the primary's connections against max_connections (Database connections chart, and the primary's node)",
        'the error rate: HTTP 5xx while the slots are gone',
        'with PgBouncer: 80 client connections, PostgreSQL holding only its pool of 20, clients waiting in its queue',
      ],
      expected:
        'Without the pooler the primary sits at its limit and a share of the requests fail with 503. Through PgBouncer the 80 client connections share 20 server connections: no errors, and PostgreSQL holds about 20.',
      predict: {
        question: 'Eight instances each keep 10 connections open; PostgreSQL allows 40. What happens?',
        choices: [
          'Nothing: PostgreSQL queues the connections it cannot take yet',
          'Requests fail on the instances that could not open their connections',
          'Every request fails: the database stops',
        ],
        answer: 1,
        why: 'PostgreSQL refuses a connection past max_connections at once ("too many clients"); it does not queue. Instances that connected first serve, the others fail. A pooler is that queue, and it lets many clients share a few server connections.',
      },
      check: {
        describe: 'through PgBouncer, no request fails and PostgreSQL holds at most 25 connections, for 10 s',
        conditions: [
          { kind: 'topology', path: 'database.pooler', equals: 'pgbouncer', label: 'pooler: pgbouncer' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0, label: 'error rate' },
          {
            kind: 'family',
            family: 'dbConnections',
            agg: 'max',
            op: '<=',
            value: 25,
            label: 'connections PostgreSQL holds',
          },
        ],
        holdSeconds: 10,
        withinSeconds: 120,
      },
    },
    ...RESILIENCE_LESSONS,
    SHARDING_LESSON,
  ],
};
