// Stack DTOs: what stack.* methods return and what stack events carry. Plain JSON, epoch ms.
import type { Topology, TopologyChange } from './topology.js';

export type ServiceRole =
  'api' | 'lb' | 'cache' | 'db' | 'cdn' | 'etcd' | 'dbrouter' | 'prometheus' | 'alertmanager' | 'redis-exporter';
export type ContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing' | 'missing';
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ServiceStatus {
  name: string;
  role: ServiceRole;
  container: string;
  state: ContainerState;
  health: Health;
  /** Published addresses on the host, by purpose (entry, edge, api, stats, db, cache). */
  ports: Record<string, string>;
  /** Docker network address of the container on the stack network. */
  ip?: string;
  /** An API instance's version (v1, v2...): during a deploy, instances differ. */
  version?: string;
  /** Swarm target: the node the task runs on. */
  node?: string;
  /** Swarm target: a task on another node than this engine's. Swarm reports it (running means its
   *  own health check passes); this engine cannot reach inside it (no faults, logs or figures). */
  remote?: boolean;
}

export interface StackStatus {
  stack: string;
  running: boolean;
  topology: Topology | null;
  services: ServiceStatus[];
  /** What a client should call: the load balancer (or the single API instance). */
  entryUrl: string | null;
  /** The load balancer's own URL, when there is one. */
  lbUrl: string | null;
  edgeUrl: string | null;
  statsUrl: string | null;
  /** The balancer's HTTPS (loadBalancer.tls), with a certificate it made for 127.0.0.1. */
  tlsUrl?: string | null;
  /** monitoring.enabled: Prometheus's own UI (graph, targets, alerts) and Alertmanager's. */
  prometheusUrl?: string | null;
  alertmanagerUrl?: string | null;
  /** Where the stack runs: absent or 'local' on one engine; 'swarm' with the Swarm's nodes. */
  target?: 'local' | 'swarm';
  nodes?: SwarmNode[];
}

/** A node of the Swarm a stack runs on, and the stack's tasks running there. */
export interface SwarmNode {
  hostname: string;
  role: 'manager' | 'worker';
  /** ready, down...; and whether it takes tasks (active) or is drained. */
  state: string;
  availability: string;
  /** The stack's services with a task running on it (api-2, db-primary...). */
  services: string[];
}

export const NODE_AVAILABILITIES = ['drain', 'active'] as const;
export type NodeAvailability = (typeof NODE_AVAILABILITIES)[number];

/** A node drained (Swarm moved its tasks to the others) or made active again. */
export interface NodeChange {
  hostname: string;
  availability: NodeAvailability;
  /** The stack's tasks that were running on the node when it was drained. */
  movedTasks: number;
  /** Until every service of the stack ran whole again. */
  ms: number;
}

export type ProgressPhase = 'image' | 'create' | 'start' | 'health' | 'ready' | 'update' | 'remove' | 'error';

export interface StackProgress {
  /** A service name, or an image name during builds. */
  service: string;
  phase: ProgressPhase;
  message: string;
  /** 0..1 where known (image build steps). */
  progress?: number;
  at: number;
}

/** EXPLAIN ANALYZE of the API's expensive read (top products of a category) on the primary. */
export interface QueryPlan {
  /** The SQL explained, with the category it was run for. */
  query: string;
  category: number;
  node: string;
  /** PostgreSQL's plan as it prints it, with the actual rows and times. */
  text: string;
  executionMs: number | null;
  planningMs: number | null;
  /** 8 kB pages the query touched (its top node's shared buffers, hit + read): the work done,
   *  which unlike the time does not depend on what else the CPU was doing. Absent in older runs. */
  pages?: number | null;
  /** The indexes the plan reads (none: every table scanned whole). */
  indexes: string[];
  at: number;
}

/** A layout of the orders over shards (database.shards, database.sharding). */
export interface ShardLayoutInfo {
  count: number;
  mode: 'hash' | 'range';
}

export interface RebalanceProgress {
  moved: number;
  /** Rows misplaced when the move began (rows written meanwhile by the old layout come on top). */
  total: number;
  rowsPerSecond: number;
}

/** What moving orders between shards did (apply of database.shards or database.sharding). */
export interface RebalanceFigures {
  from: ShardLayoutInfo;
  to: ShardLayoutInfo;
  /** Of the 64 buckets of product ids, those that changed shard (64 across modes). */
  bucketsMoving: number;
  rowsMoved: number;
  seconds: number;
  rowsPerSecond: number;
  /** Rows still on a shard the new layout does not put them on when the move ended: 0 expected. */
  leftMisplaced: number;
  /** Orders on each shard afterwards (a drained shard: 0, then removed). */
  rowsPerShard: Record<string, number>;
}

export interface ApplyResult {
  changes: TopologyChange[];
  /** Present when the change moved orders between shards. */
  rebalance?: RebalanceFigures;
  topology: Topology;
  status: StackStatus;
}

export type FaultKind =
  'kill' | 'stop' | 'pause' | 'unpause' | 'restart' | 'start' | 'pause-replay' | 'resume-replay' | 'slow' | 'unslow';
export const FAULT_KINDS: readonly FaultKind[] = [
  'kill',
  'stop',
  'pause',
  'unpause',
  'restart',
  'start',
  'pause-replay',
  'resume-replay',
  'slow',
  'unslow',
];
/** The 'slow' fault leaves a container this share of its CPU limit (a noisy neighbour, a bad host). */
export const SLOW_CPU_SHARE = 0.1;

/** An API version built on this engine (scalelab version build), and the regression it carries. */
export interface ApiVersionInfo {
  name: string;
  image: string;
  /** The API image it was built from; `current`: that is the API as built now (else rebuild it). */
  builtFrom: string;
  current: boolean;
  latencyMs: number;
  errorRate: number;
}

export interface ReplicaLag {
  replica: string;
  /** From the primary's pg_stat_replication: WAL not yet replayed. */
  lagBytes: number | null;
  /** From the replica: now() - pg_last_xact_replay_timestamp(); null when nothing was replayed yet. */
  lagSeconds: number | null;
  /** true when the primary has nothing new to send, so a growing replay age is not lag. */
  idle: boolean;
  replayPaused: boolean;
  state: string | null;
}

export interface ContainerStats {
  service: string;
  at: number;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** Periods in which the container's CPU limit held it back since the last sample. */
  throttledPeriods: number;
}

/** database.ha drills: the leader killed (failover) or handed over on purpose (switchover). */
export const DRILL_KINDS = ['failover', 'switchover'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

/** What a drill measured, from the writes its own probe sent through the entry point. */
export interface DrillResult {
  kind: DrillKind;
  /** Patroni's synchronous mode during the drill. */
  synchronous: boolean;
  oldLeader: string;
  /** null when no new leader was elected within the drill's time limit. */
  newLeader: string | null;
  startedAt: number;
  /** When the leader was killed or the switchover asked for. */
  faultAt: number;
  endedAt: number;
  /** Fault to a new leader in Patroni's cluster view (ms). */
  electedAfterMs: number | null;
  /** Write outage (RTO): fault to the first write sent after it that was acknowledged (ms). */
  writeOutageMs: number | null;
  writes: { sent: number; acknowledged: number; failed: number };
  /** Acknowledged writes missing afterwards (RPO, in writes), and the first of their order ids. */
  lostAcknowledged: number | null;
  lostIds: number[];
  timeline: { before: number | null; after: number | null };
  /** Failover: the old leader started again and back as a replica (pg_rewind where needed). */
  rejoinedAfterMs: number | null;
  /** What the drill could not do or measure, in words (empty when all went as planned). */
  notes: string[];
}

export interface DrillProgress {
  step: 'check' | 'writes' | 'fault' | 'election' | 'recovery' | 'rejoin' | 'verify' | 'done';
  message: string;
  at: number;
}

/** A backup in pgBackRest's repository (database.backups). */
export interface BackupInfo {
  label: string;
  /** 'full', 'diff' or 'incr'. */
  type: string;
  /** When it started and stopped (epoch ms). */
  start: number;
  stop: number;
  /** The database's size, and what the backup takes in the repository (compressed), bytes. */
  size: number;
  repoSize: number;
}

/** `scalelab drill restore`: a disaster (the orders table dropped) and point-in-time recovery to
 *  a moment before it, measured by the drill's own writes. */
export interface RestoreResult {
  /** The point recovered to, as PostgreSQL printed its clock (and the same moment in epoch ms). */
  target: string;
  targetAt: number;
  /** When the orders table was dropped. */
  disasterAt: number;
  /** The backup the restore started from. */
  backup: string;
  /** The restore itself: primary stopped, pgBackRest restore, WAL replayed to the target (ms). */
  restoreMs: number;
  /** From the first write that failed after the disaster to the first acknowledged again (RTO, ms); null if none was. */
  writeOutageMs: number | null;
  /** The data given up by choosing that point: disaster minus target (RPO, ms). */
  rpoMs: number;
  /** The drill's orders acknowledged before the target: all should be back. */
  beforeTarget: { acknowledged: number; present: number };
  /** Acknowledged after the target (before the disaster): none should be back. */
  afterTarget: { acknowledged: number; present: number };
  /** Replicas cloned again from the restored primary (they had followed the old timeline). */
  replicasRecloned: string[];
  notes: string[];
}
