// Chapter 6 of the course, the database: read replicas and read-your-writes, indexes, pooling,
// failover with Patroni, synchronous standbys.
import type { Chapter } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

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
    {
      id: 'database.failover',
      title: 'Failover with Patroni',
      goal: 'Kill the primary under load and watch Patroni promote a replica, HAProxy follow it and the old primary come back as a replica.',
      preset: 'ha',
      workload: 'mixed',
      rate: 60,
      steps: [
        'Set up the stage: Patroni runs the primary and two replicas, its leader key in etcd; db-router (HAProxy) asks each node who leads.',
        'Start load, then run the failover drill (the Database card, or `scalelab drill failover`): it kills the leader.',
        'Read the drill: how long writes failed, how many acknowledged writes were lost, who leads now.',
      ],
      watch: [
        'the error rate: writes fail until a replica is promoted, reads go on',
        "the leader moving in the stack graph, and the cluster's timeline going up by one",
        'the old primary coming back as a replica (pg_rewind where it had gone ahead)',
      ],
      expected:
        "Writes fail for about ten seconds: Patroni waits for the old leader's key in etcd to expire (ttl 10 s) before a replica takes it. Reads go on from the replicas. Asynchronous replication may lose the last few acknowledged writes; the drill counts them by order id.",
      predict: {
        question: 'The primary dies. What decides how long writes fail?',
        choices: [
          'How fast Docker restarts the container',
          "How long the leader's key in etcd lives, and how often Patroni and HAProxy check",
          'How many replicas there are',
        ],
        answer: 1,
        why: "Nothing restarts the dead primary: Patroni on the replicas notices only when the leader's key expires (its ttl), elects the healthiest replica and promotes it; HAProxy then sees the new leader answer GET /primary within its check interval. Shorter timings fail over faster and risk needless failovers under load.",
      },
      check: {
        describe: 'after a failover (timeline 2 or more), writes and reads succeed again: error rate under 1% for 10 s',
        conditions: [
          { kind: 'topology', path: 'database.ha', equals: true, label: 'high availability on' },
          { kind: 'series', series: SERIES.haTimeline, op: '>=', value: 2, label: 'cluster timeline' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 300,
      },
    },
    {
      id: 'database.synchronous',
      title: 'Synchronous vs asynchronous standby',
      goal: 'Make a commit wait for a standby, then fail over again: no acknowledged write is lost, and writes pay for it in latency.',
      preset: 'ha',
      workload: 'mixed',
      rate: 60,
      steps: [
        'After the failover lesson, note the write p95 (p95 by endpoint) with asynchronous replication.',
        'Switch "synchronous standby" on and Apply: Patroni names a synchronous standby, live.',
        'Note the write p95 again, then run the failover drill and compare the acknowledged writes lost.',
      ],
      watch: [
        "the write endpoint's p95 before and after the switch",
        "the drill's acknowledged writes lost: 0 in synchronous mode",
      ],
      expected:
        'In synchronous mode a commit returns only once the standby has it, so the write p95 rises by about a network round trip and a flush. In exchange a failover to that standby loses nothing: RPO 0.',
      predict: {
        question: 'With a synchronous standby, what can a failover lose?',
        choices: [
          'The last second of writes, as before',
          'No write that was acknowledged to a client',
          'Nothing at all, not even writes in flight',
        ],
        answer: 1,
        why: 'A commit is acknowledged only once the synchronous standby has flushed it, and Patroni promotes only that standby. Writes in flight when the primary died were never acknowledged: the client sees them fail and can retry.',
      },
      check: {
        describe: 'synchronous mode on and a failover after it (timeline 3 or more), then error rate under 1% for 10 s',
        conditions: [
          { kind: 'topology', path: 'database.synchronous', equals: true, label: 'synchronous standby on' },
          { kind: 'series', series: SERIES.haTimeline, op: '>=', value: 3, label: 'cluster timeline' },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 300,
      },
    },
    {
      id: 'database.quorum',
      title: 'etcd and its quorum',
      goal: 'Stop etcd members one at a time: with one of three gone nothing changes; with two gone writes stop while reads go on.',
      preset: 'ha',
      workload: 'mixed',
      rate: 60,
      steps: [
        'Set up the stage: Patroni keeps its leader key in three etcd members.',
        'Start load, then stop etcd-3 (its node menu, or `scalelab fault stop etcd-3`): watch the writes.',
        'Stop etcd-2 as well and wait 15 s. Then start both again.',
      ],
      watch: [
        'each etcd node: healthy while its members can elect a raft leader',
        'the error rate: writes failing once the quorum is gone, reads still answered',
        'writes coming back when the members return',
      ],
      expected:
        "With one member of three stopped, the other two are a majority: nothing changes. With two stopped, the last one cannot elect a leader, so Patroni cannot renew its leader key; once the key's ttl has passed, the primary demotes itself to read-only rather than risk a second primary. Writes fail, reads from the replicas go on, and everything resumes when a majority is back.",
      predict: {
        question: 'Two of the three etcd members stop, but every database node is fine. What happens to writes?',
        choices: [
          'Nothing: the primary is healthy, so it keeps taking writes',
          'They stop: the primary cannot prove it is still the leader, so it steps down',
          'A replica is promoted in its place',
        ],
        answer: 1,
        why: 'Patroni only lets a node be primary while it holds the leader key in etcd. Without a majority etcd can neither renew nor hand out the key, so no node can be sure it alone is primary; demoting is how Patroni avoids a split brain, at the cost of writes.',
      },
      check: {
        describe: 'with no etcd member able to elect a leader, writes fail while requests are still answered, for 5 s',
        conditions: [
          { kind: 'topology', path: 'database.etcdMembers', equals: 3, label: 'three etcd members' },
          {
            kind: 'family',
            family: 'etcdHealthy',
            agg: 'sum',
            op: '<=',
            value: 0,
            label: 'etcd members with a leader',
          },
          { kind: 'series', series: SERIES.errorRate, op: '>=', value: 0.02, label: 'error rate (writes failing)' },
          { kind: 'series', series: SERIES.rps, op: '>=', value: 10, label: 'requests answered/s (reads)' },
        ],
        holdSeconds: 5,
        withinSeconds: 300,
      },
    },
    {
      id: 'database.restore',
      title: 'Backup and point-in-time restore',
      goal: 'Archive WAL with pgBackRest, lose the orders table, and bring it back as it was just before.',
      preset: 'read-replicas',
      workload: 'mixed',
      rate: 60,
      steps: [
        'Set up the stage, then switch "backups and WAL archiving" on and Apply: a full backup is taken.',
        'Start load, then run the restore drill (the Backups card, or `scalelab drill restore`).',
        'Read the drill: which orders came back, how much was given up, how long writes were out.',
      ],
      watch: [
        'the error rate: writes fail from the DROP TABLE until the primary is restored',
        "the primary's timeline going up by one when it promotes after the restore",
        'the replicas leaving and coming back: they are cloned again from the restored primary',
      ],
      expected:
        'Every order acknowledged before the chosen point is back, none written after it: a backup restores a moment, not the latest state. Writes are out for the seconds the restore takes; the data after the point is the price (the RPO you chose).',
      predict: {
        question: 'The table was dropped at 10:00:05. You restore to 10:00:03. What comes back?',
        choices: [
          'Everything up to 10:00:05, the drop undone',
          'Everything committed up to 10:00:03, nothing after',
          'Only what the last full backup held',
        ],
        answer: 1,
        why: 'The full backup is the starting point; PostgreSQL then replays the archived WAL up to the target time and stops there. What was committed between the target and the disaster was in the WAL too, and is given up with the drop: the point is chosen before the mistake.',
      },
      check: {
        describe: 'with backups on and the primary restored (timeline 2 or more), error rate under 1% for 10 s',
        conditions: [
          { kind: 'topology', path: 'database.backups', equals: true, label: 'backups on' },
          { kind: 'series', series: SERIES.dbTimeline, op: '>=', value: 2, label: "primary's timeline" },
          { kind: 'series', series: SERIES.errorRate, op: '<=', value: 0.01, label: 'error rate' },
        ],
        holdSeconds: 10,
        withinSeconds: 300,
      },
    },
  ],
};
