// What a service of the stack is, for plan() and the runtime: its role, ports, probe and volumes.
import { SERVICE } from '../../contract/services.js';
import type { Topology } from './schema.js';

export type Role =
  'api' | 'lb' | 'cache' | 'db' | 'cdn' | 'etcd' | 'dbrouter' | 'prometheus' | 'alertmanager' | 'redis-exporter';

export interface PortSpec {
  container: number;
  /** Host port on 127.0.0.1; 0 = any free port. */
  host: number;
  /** What the port is for; 'entry' and 'edge' are the user-facing URLs. */
  purpose:
    | 'entry'
    | 'edge'
    | 'tls'
    | 'api'
    | 'stats'
    | 'db'
    | 'pooler'
    | 'metrics'
    | 'cache'
    | 'patroni'
    | 'etcd'
    /** Prometheus's UI and API; Alertmanager's. */
    | 'monitor'
    | 'alerts';
}

export interface ServiceSpec {
  /** Unique within the stack: api-1, db-primary, db-replica-2, cache, lb, cdn. */
  name: string;
  role: Role;
  env: Record<string, string>;
  ports: PortSpec[];
  /** Extra DNS names on the stack network (all API instances answer to "api"). */
  aliases: string[];
  dependsOn: string[];
  /** How the engine tells the service is healthy, through the published port of that purpose. */
  probe: Probe;
  /** cpuset: the cores it may run on ("0"), or all of them when absent. */
  resources?: { cpus: number; memoryMb: number; cpuset?: string };
  /** Named volume mounted at this path (removed with the service, or with the stack). */
  volumePath?: string;
  /** Named volumes that outlive the service (removed with the stack): pgBackRest's repository. */
  sharedVolumes?: Array<{ name: string; path: string }>;
  /** An API instance's version: its image is that version's (runtime/versions.ts). */
  version?: string;
  /** The engine's socket mounted read-only: Prometheus's Swarm discovery of the API's tasks
   *  (swarm/swarm-monitoring.ts). Nothing on the local engine has it. */
  engineSocket?: boolean;
}

/** pgBackRest's repository (database.backups): a volume of its own, as a backup belongs on another
 *  disk than the database it saves; it survives the primary's container and volume. */
export const BACKUP_REPO = { name: 'backup-repo', path: '/var/lib/pgbackrest' } as const;

export type Probe =
  | { kind: 'http'; purpose: PortSpec['purpose']; path: string }
  | { kind: 'redis'; purpose: 'cache' }
  | { kind: 'postgres'; purpose: 'db' };

/** Under HA a node is up when Patroni says its PostgreSQL runs (a replica answers pg_isready
 *  before Patroni has finished cloning it). */
const PATRONI_HEALTH: Probe = { kind: 'http', purpose: 'patroni', path: '/health' };

/** The probe of a service of a role: also used by `status` for containers it only knows by role
 *  (`patroni`: the node publishes Patroni's REST API, database.ha). */
export function probeFor(role: Role, isEntry: boolean, patroni = false): Probe {
  if (role === 'db' && patroni) return PATRONI_HEALTH;
  switch (role) {
    // The router is healthy when it reaches a leader: pg_isready through its write port.
    case 'db':
    case 'dbrouter':
      return { kind: 'postgres', purpose: 'db' };
    case 'etcd':
      return { kind: 'http', purpose: 'etcd', path: '/health' };
    case 'cache':
      return { kind: 'redis', purpose: 'cache' };
    case 'cdn':
      return { kind: 'http', purpose: 'edge', path: '/edge/healthz' };
    // The balancer's /healthz reaches an API instance: healthy means it routes to one that is up.
    case 'lb':
      return { kind: 'http', purpose: 'entry', path: '/healthz' };
    case 'api':
      return { kind: 'http', purpose: isEntry ? 'entry' : 'api', path: '/healthz' };
    case 'prometheus':
      return { kind: 'http', purpose: 'monitor', path: '/-/ready' };
    case 'alertmanager':
      return { kind: 'http', purpose: 'alerts', path: '/-/ready' };
    case 'redis-exporter':
      return { kind: 'http', purpose: 'metrics', path: '/health' };
  }
}

export interface PlanContext {
  /** Random secrets of this stack, kept in the containers' environment. */
  adminToken: string;
  dbPassword: string;
  /** Redis's password (requirepass): other local users can reach its loopback port. Empty: none. */
  redisPassword?: string;
  /** Data set size the API seeds on first start. */
  seed?: { products: number; orders: number };
}

/** database.ha: the router's ports. Pooled, each is the same port plus 1000 (PgBouncer's 6432). */
export const ROUTER_WRITE_PORT = 5432;
export const ROUTER_READ_PORT = 5433;

/** Where the API writes: the primary, or under HA the router's write port (the leader, wherever it is). */
export const writeHost = (t: Topology) => (t.database.ha ? SERVICE.dbRouter : SERVICE.primary);

export { shardHosts } from '../../contract/services.js';

/** database.sharesApiCores: the core the API instances and the database share, as on one server. */
export const SHARED_CORE = '0';
export const sharedCore = (t: Topology): { cpuset?: string } =>
  t.database.sharesApiCores ? { cpuset: SHARED_CORE } : {};
