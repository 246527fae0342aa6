// The StackRuntime port: what the engine needs from a container platform. docker-runtime.ts
// implements it with dockerode; swarm or kubernetes targets would implement it too.
import type { RulesCheck } from '../../contract/monitoring.js';
import type {
  ApiVersionInfo,
  ApplyResult,
  BackupInfo,
  ContainerStats,
  FaultKind,
  NodeAvailability,
  ReplicaLag,
  ServiceStatus,
  StackProgress,
  StackStatus,
} from '../../contract/stack.js';
import type { Role } from '../topology/plan.js';
import type { ContainerEvent } from './container-events.js';
import type { Topology } from '../topology/schema.js';

import type { BalancerSlot } from '../deploy/traffic-split.js';
import type { DbRows } from './db-rows.js';
import type { SwarmGenerators } from '../load/k6-generators.js';
import type { HttpVia } from '../database/patroni.js';

export type ProgressSink = (event: StackProgress) => void;

/** A running stack's secrets: the API's admin token, the database's and Redis's passwords. */
export interface StackSecrets {
  adminToken: string;
  dbPassword: string;
  redisPassword: string;
}

export interface StackRuntime {
  /** Throws a DockerUnavailableError (or the like) saying how to start the engine. */
  ping(): Promise<void>;
  /** Builds what images are missing for a topology; returns the image each role runs. */
  prepareImages(topology: Topology, onProgress?: ProgressSink): Promise<Record<Role, string>>;
  /** Brings the stack up, or adopts and converges it when it already runs. */
  up(stack: string, topology: Topology, onProgress?: ProgressSink): Promise<StackStatus>;
  /** Applies a new topology to a running stack: live where possible, else restarting one service.
   *  `next` makes the new topology from the running one (the stack's state is read once). */
  apply(
    stack: string,
    next: Topology | ((current: Topology) => Topology),
    onProgress?: ProgressSink,
  ): Promise<ApplyResult>;
  /** The topology the stack runs, or null: cheap (the state file, else the containers), no probes. */
  topology(stack: string): Promise<Topology | null>;
  down(stack: string, onProgress?: ProgressSink): Promise<void>;
  status(stack: string): Promise<StackStatus>;
  /** The stack's containers and their published ports, without health probes (cheap: collectors call it often). */
  services(stack: string): Promise<ServiceStatus[]>;
  fault(stack: string, service: string, kind: FaultKind): Promise<void>;
  logs(stack: string, service: string, tail?: number): Promise<string>;
  /** Follows what happens to the stack's containers as the engine sees it; returns stop(). */
  events(stack: string, onEvent: (e: ContainerEvent) => void): () => void;
  /** Streams CPU and memory per container, one sample per container per second; returns stop(). */
  stats(stack: string, onSample: (s: ContainerStats) => void): () => void;
  /** Follows a service's stdout lines (whichever container holds it, again once recreated); returns stop(). */
  followLogs(stack: string, service: string, onLine: (line: string) => void): () => void;
  replication(stack: string): Promise<ReplicaLag[]>;
  /** database.backups: the backups in pgBackRest's repository, oldest first. */
  backups(stack: string): Promise<BackupInfo[]>;
  /** A full backup now; returns it. */
  backup(stack: string, onProgress?: ProgressSink): Promise<BackupInfo>;
  /** Runs SQL on the primary as the superuser (psql -At) and returns what it printed. */
  primarySql(stack: string, sql: string, timeoutMs?: number): Promise<string>;
  /** Point-in-time recovery of the primary to `target` (a PostgreSQL timestamp): stopped, restored
   *  by pgBackRest from the repository, WAL replayed to the target, promoted; the replicas are
   *  cloned again. Returns the replicas recloned. */
  restore(stack: string, target: string, onProgress?: ProgressSink): Promise<string[]>;
  /** The running stack's secrets: the API's admin token and the database password. */
  stackSecrets(stack: string): Promise<StackSecrets>;
  /** The certificate the balancer made for its HTTPS (loadBalancer.tls), PEM: what a client trusts. */
  tlsCertificate(stack: string): Promise<string>;
  /** API versions built on this engine, and building one FROM the API as built. */
  versions(): Promise<ApiVersionInfo[]>;
  buildVersion(
    name: string,
    regression: { latencyMs: number; errorRate: number },
    onProgress?: ProgressSink,
  ): Promise<ApiVersionInfo>;
  /** Deploys beside apply(): the image a version runs (refused when never built), API instances
   *  started by name on a version and removed by name (drained), the balancer's weights. */
  versionImage(version: string, onProgress?: ProgressSink): Promise<string>;
  startApiInstances(stack: string, names: string[], version: string, onProgress?: ProgressSink): Promise<void>;
  removeApiInstances(stack: string, names: string[], onProgress?: ProgressSink): Promise<void>;
  balancerSlots(stack: string): Promise<BalancerSlot[]>;
  setBalancerWeights(stack: string, weights: Record<string, number>): Promise<void>;
  /** Purges the edge cache: one path (its entry, if kept: 1 or 0), or every entry (how many). */
  purgeEdge(stack: string, path?: string): Promise<number>;
  /** `promtool check rules` on a rules file's text, in the stack's Prometheus (monitoring.enabled). */
  checkAlertRules(stack: string, rules: string): Promise<RulesCheck>;
  /** Removes what crashed sessions left behind: stopped containers, networks and volumes of stacks that
   *  no longer run (`only`: that stack alone). A stack made in the last minutes is left alone: it may be
   *  another process bringing it up. */
  reap(only?: string): Promise<string[]>;
  listStacks(): Promise<string[]>;
  /** Swarm only: the text at each URL on the stack's overlay (tasks on other nodes, which this
   *  host cannot reach), read from the balancer's container; null where one did not answer (every
   *  one on the local engine). */
  fetchOnOverlay(stack: string, urls: string[]): Promise<Array<string | null>>;
  /** Swarm only: how a database task is queried over the stack's overlay (its tasks publish no
   *  port), from the balancer's container; null on the local engine (published ports). */
  overlayDbRows(stack: string, password: string): DbRows | null;
  /** Swarm only: HTTP calls of any method on the stack's overlay (Patroni's REST API on a database
   *  task), made from the balancer's container; null on the local engine (published ports). */
  overlayHttp(stack: string): HttpVia | null;
  /** Swarm only: where a k6 run's generators go (one service spread over the nodes, its image
   *  pushed where they pull it); null on the local engine (containers beside the stack). */
  swarmGenerators(stack: string): Promise<SwarmGenerators | null>;
  /** Swarm only: the nodes ready and taking tasks, and those drained; null on the local engine. */
  swarmNodeCounts(): Promise<{ active: number; drained: number } | null>;
  /** Swarm only: drains a node or makes it active again, once the stack runs whole again. */
  setNodeAvailability(
    stack: string,
    hostname: string,
    availability: NodeAvailability,
    onProgress?: ProgressSink,
  ): Promise<{ movedTasks: number; ms: number }>;
}
