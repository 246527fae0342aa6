// The database chapter's lessons on keeping data through failures: failover with Patroni, a
// synchronous standby, etcd's quorum, backup and point-in-time restore.
import type { Lesson } from '../../contract/course.js';
import { SERIES } from '../../contract/series.js';

export const RESILIENCE_LESSONS: Lesson[] = [
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
];
