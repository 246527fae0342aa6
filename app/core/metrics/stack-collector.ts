// Once a second while a stack is up: each API instance's /metrics, Redis INFO, replication lag
// (from the primary and each replica; under HA, Patroni's leader and who it is), connections on each database node and PgBouncer's pools,
// HAProxy's per-server counts and states, and container CPU and memory, as named series. Counters become per-second deltas here.
import { Redis } from 'ioredis';
import type { ContainerStats, ServiceStatus } from '../../contract/stack.js';
import { ReplicationReader } from '../runtime/replication.js';
import { DbConnectionsReader } from './db-connections.js';
import type { DbRows } from '../runtime/db-rows.js';
import type { StackRuntime, StackSecrets } from '../runtime/stack-runtime.js';
import { FAMILY, SERIES, seriesKey } from '../../contract/series.js';
import { isDbNodeName, SERVICE } from '../../contract/services.js';
import { readCluster } from '../database/patroni.js';
import { patroniEndpoints } from '../runtime/ha-actions.js';
import { balancerServers, parseHaproxyCsv } from './haproxy-stats.js';
import { fetchText } from './fetch-text.js';
import { ApiSeriesReader, type Series } from './api-series.js';
import { CounterDeltas } from './counter-deltas.js';
import { EdgeLogCounter } from './edge-log.js';
import { containerSeries } from './container-series.js';
import { AlertWatcher } from '../monitoring/alert-watcher.js';
import { querySeries } from '../monitoring/query-series.js';
import type { AlertMarker } from '../../contract/runs.js';
import { WriteBehindLedger } from './write-behind-ledger.js';
import { WRITE_QUEUE } from '../../../stack/api/src/write-queue.js';

export type { Series };

const SERVICES_REFRESH_MS = 3000;

export class StackCollector {
  private services: ServiceStatus[] = [];
  private servicesAt = 0;
  private readonly counters = new CounterDeltas();
  private containers = new Map<string, ContainerStats>();
  private stopStats: (() => void) | null = null;
  private stopEdgeLog: (() => void) | null = null;
  private readonly edge = new EdgeLogCounter();
  private redis: { port: string; client: Redis } | null = null;
  private replication: ReplicationReader | null = null;
  private connections: DbConnectionsReader | null = null;
  private reach: Promise<{ pw: string; overlay: DbRows | null }> | null = null;
  private pooled = false;
  /** database.ha: Patroni's REST API is read (over the overlay on Swarm). */
  private ha = false;
  private readonly alerts: AlertWatcher;
  /** monitoring.queries: charted PromQL, asked of the stack's Prometheus each second. */
  private queries: string[] = [];
  private readonly writes = new WriteBehindLedger();
  private readonly api: ApiSeriesReader;

  constructor(
    private readonly runtime: StackRuntime,
    private readonly stack: string,
    private readonly secrets: () => Promise<StackSecrets>,
    /** An alert of the stack's Prometheus fired or resolved (monitoring.enabled). */
    onAlert: (label: string, marker: AlertMarker) => void = () => undefined,
  ) {
    this.alerts = new AlertWatcher(onAlert);
    this.api = new ApiSeriesReader((urls) => runtime.fetchOnOverlay(stack, urls));
  }

  start(): void {
    this.stopStats = this.runtime.stats(this.stack, (s) => this.containers.set(s.service, s));
    this.stopEdgeLog = this.runtime.followLogs(this.stack, SERVICE.cdn, (l) => this.edge.line(l));
  }

  stop(): void {
    this.stopStats?.();
    this.stopEdgeLog?.();
    this.redis?.client.disconnect();
    this.redis = null;
    void this.replication?.close();
    this.replication = null;
    void this.connections?.close();
    this.connections = null;
  }

  /** Per-second rate of a counter (counter-deltas.ts). */
  private delta(key: string, value: number): number | null {
    return this.counters.delta(key, value);
  }

  async collect(): Promise<Series> {
    if (Date.now() - this.servicesAt > SERVICES_REFRESH_MS) {
      this.services = await this.runtime.services(this.stack).catch(() => this.services);
      // Whether the API goes through PgBouncer: its pools are charted only then.
      const t = await this.runtime.topology(this.stack).catch(() => null);
      if (t) this.pooled = t.database.pooler === 'pgbouncer';
      if (t) this.ha = t.database.ha;
      if (t) this.queries = t.monitoring.enabled ? t.monitoring.queries : [];
      this.servicesAt = Date.now();
    }
    const running = this.services.filter((s) => s.state === 'running');
    // Only the lag reading waits for Patroni's answer (it reads from whoever leads); the others
    // run beside it, so a slow Patroni does not hold back the whole second.
    const haAndLag = this.haSeries(running)
      .catch(() => ({ leader: SERVICE.primary, series: {} as Series }))
      .then(async (ha) => ({ ...ha.series, ...(await this.lagSeries(running, ha.leader)) }));
    // Every reading at once: a slow one must not hold back the others.
    const [api, redis, ...parts] = await Promise.all([
      this.api.series(running),
      this.redisSeries(running),
      haAndLag,
      this.etcdSeries(running),
      this.connectionSeries(running),
      this.lbSeries(running),
      this.alerts.series(running),
      this.promSeries(running),
      this.swarmSeries(),
    ] as const);
    const writes = this.writes.update({ ...api.writes, queued: redis.queued });
    const out: Series = Object.assign({}, api.series, redis.series, writes, ...parts, this.edge.take());
    // API containers running (one may still be starting: load.instances_serving says who answers).
    out[SERIES.apiInstances] = running.filter((s) => s.role === 'api').length;
    Object.assign(out, containerSeries(this.containers, this.services, Date.now()));
    return out;
  }

  /** On a Swarm, its nodes each second: a drained one shows as the tasks move. */
  private async swarmSeries(): Promise<Series> {
    let counts: { active: number; drained: number } | null = null;
    try {
      counts = await this.runtime.swarmNodeCounts();
    } catch {
      // The engine busy or gone: this second has no node figures, the others go on.
    }
    return counts ? { [SERIES.swarmNodesActive]: counts.active, [SERIES.swarmNodesDrained]: counts.drained } : {};
  }

  private async promSeries(running: ServiceStatus[]): Promise<Series> {
    const prometheus = running.find((s) => s.role === 'prometheus')?.ports.monitor;
    return prometheus && this.queries.length ? querySeries(`http://${prometheus}`, this.queries) : {};
  }

  private async redisSeries(running: ServiceStatus[]): Promise<{ series: Series; queued: number | null }> {
    const cache = running.find((s) => s.role === 'cache');
    if (!cache?.ports.cache) {
      this.redis?.client.disconnect();
      this.redis = null;
      return { series: {}, queued: null };
    }
    if (this.redis?.port !== cache.ports.cache) {
      this.redis?.client.disconnect();
      const [host, port] = cache.ports.cache.split(':');
      const { redisPassword } = await this.secrets().catch(() => ({ redisPassword: '' }));
      const client = new Redis({
        host,
        port: Number(port),
        ...(redisPassword ? { password: redisPassword } : {}),
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        commandTimeout: 800,
        retryStrategy: () => 1000,
      });
      client.on('error', () => undefined);
      await client.connect().catch(() => undefined);
      this.redis = { port: cache.ports.cache, client };
    }
    let info: string;
    let queued: number;
    try {
      // One round trip: the write queue's length is read with the figures it is compared to.
      const res = await this.redis.client.multi().info().xlen(WRITE_QUEUE).exec();
      info = String(res?.[0]?.[1] ?? '');
      queued = Number(res?.[1]?.[1] ?? NaN);
      if (!info || !Number.isFinite(queued)) throw new Error('no answer');
    } catch {
      return { series: {}, queued: null };
    }
    const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
    const hits = this.delta('#keyspace_hits', field('keyspace_hits'));
    const misses = this.delta('#keyspace_misses', field('keyspace_misses'));
    const series = {
      [SERIES.redisHits]: hits,
      [SERIES.redisMisses]: misses,
      [SERIES.redisHitRatio]: hits !== null && misses !== null && hits + misses > 0 ? hits / (hits + misses) : null,
      [SERIES.redisMemory]: field('used_memory'),
      [SERIES.redisEvictions]: this.delta('#evicted_keys', field('evicted_keys')),
      [SERIES.redisKeys]: Number(/^db0:keys=(\d+)/m.exec(info)?.[1] ?? 0),
    };
    return { series, queued };
  }

  /** Under HA, Patroni says who leads (the primary is where the cluster started, not where it is). */
  private async haSeries(running: ServiceStatus[]): Promise<{ leader: string; series: Series }> {
    const endpoints = patroniEndpoints(running, this.ha ? this.runtime.overlayHttp(this.stack) : null);
    if (!endpoints.length) return { leader: SERVICE.primary, series: {} };
    const cluster = await readCluster(endpoints);
    const series: Series = {};
    for (const m of cluster?.members ?? []) series[FAMILY.haLeader.key(m.name)] = m.name === cluster?.leader ? 1 : 0;
    const timelines = (cluster?.members ?? []).map((m) => m.timeline ?? 0);
    series[SERIES.haTimeline] = timelines.length ? Math.max(...timelines) : null;
    return { leader: cluster?.leader ?? '', series };
  }

  /** Each etcd member's /health: healthy only while the member sees an elected leader, so a lost
   *  quorum shows on every member still running. */
  private async etcdSeries(running: ServiceStatus[]): Promise<Series> {
    const members = this.services.filter((s) => s.role === 'etcd');
    const out: Series = {};
    const healthy = (body: string | null) => (body !== null && /"health":\s*"true"/.test(body) ? 1 : 0);
    // On Swarm a member publishes no port: read by name over the overlay, all in one call.
    const onOverlay = members.filter((m) => running.includes(m) && !m.ports.etcd);
    const overlay = onOverlay.length
      ? await this.runtime.fetchOnOverlay(
          this.stack,
          onOverlay.map((m) => `http://${m.name}:2379/health`),
        )
      : [];
    onOverlay.forEach((m, i) => (out[FAMILY.etcdHealthy.key(m.name)] = healthy(overlay[i] ?? null)));
    await Promise.all(
      members
        .filter((m) => !onOverlay.includes(m))
        .map(async (m) => {
          const body = running.includes(m) && m.ports.etcd ? await fetchText(`http://${m.ports.etcd}/health`) : null;
          out[FAMILY.etcdHealthy.key(m.name)] = healthy(body);
        }),
    );
    return out;
  }

  /** How the database nodes are reached, asked once (the secrets are read from the containers):
   *  on Swarm a database task publishes no port, so by name over the overlay; else null. */
  private dbReach(): Promise<{ pw: string; overlay: DbRows | null }> {
    this.reach ??= this.secrets().then(
      ({ dbPassword }) => ({ pw: dbPassword, overlay: this.runtime.overlayDbRows(this.stack, dbPassword) }),
      (e: unknown) => {
        this.reach = null;
        throw e;
      },
    );
    return this.reach;
  }

  private async lagSeries(running: ServiceStatus[], leader: string): Promise<Series> {
    const { pw, overlay } = await this.dbReach();
    const reachable = (s: ServiceStatus) => isDbNodeName(s.name) && (overlay !== null || Boolean(s.ports.db));
    const primary = running.find((s) => s.name === leader && reachable(s));
    const replicas = running.filter((s) => s.name !== leader && reachable(s));
    if (!primary || !replicas.length) return {};
    const ep = (s: ServiceStatus) => {
      if (overlay) return { name: s.name, host: s.name, port: 5432 };
      const [host, port] = s.ports.db.split(':');
      return { name: s.name, host, port: Number(port) };
    };
    this.replication ??= new ReplicationReader(pw, overlay ?? undefined);
    const lags = await this.replication.read(ep(primary), replicas.map(ep)).catch(() => []);
    const out: Series = {};
    let max: number | null = null;
    for (const l of lags) {
      out[seriesKey.lag(l.replica, 'seconds')] = l.lagSeconds;
      out[seriesKey.lag(l.replica, 'bytes')] = l.lagBytes;
      out[seriesKey.lag(l.replica, 'idle')] = l.idle ? 1 : 0;
      out[seriesKey.lag(l.replica, 'paused')] = l.replayPaused ? 1 : 0;
      if (l.lagSeconds !== null) max = Math.max(max ?? 0, l.lagSeconds);
    }
    out[SERIES.lagMax] = max;
    return out;
  }

  private async connectionSeries(running: ServiceStatus[]): Promise<Series> {
    const { pw, overlay } = await this.dbReach();
    // On Swarm by name over the overlay, PostgreSQL on 5432 and PgBouncer beside it on 6432.
    const nodes = running.filter((s) => s.role === 'db' && (overlay !== null || s.ports.db));
    if (!nodes.length) return {};
    this.connections ??= new DbConnectionsReader(pw, overlay ?? undefined);
    return this.connections.read(
      nodes.map((s) =>
        overlay
          ? { name: s.name, db: `${s.name}:5432`, pooler: `${s.name}:6432` }
          : { name: s.name, db: s.ports.db, pooler: s.ports.pooler },
      ),
      this.pooled,
    );
  }

  private async lbSeries(running: ServiceStatus[]): Promise<Series> {
    const lb = running.find((s) => s.role === 'lb' && s.ports.stats);
    if (!lb) return {};
    const csv = await fetchText(`http://${lb.ports.stats}/stats;csv`);
    if (!csv) return {};
    const out: Series = {};
    const apis = this.services.filter((s) => s.role === 'api');
    for (const server of balancerServers(parseHaproxyCsv(csv), apis)) {
      // Counters are kept per slot and address: a slot handed to another instance starts anew.
      let rps: number | null = server.requests.length ? 0 : null;
      for (const r of server.requests) {
        const d = this.delta(`#lb:${r.slot}@${server.service}`, r.requests);
        rps = d === null || rps === null ? null : rps + d;
      }
      out[seriesKey.balancer(server.service, 'rps')] = rps;
      out[seriesKey.balancer(server.service, 'up')] = server.up ? 1 : 0;
      out[seriesKey.balancer(server.service, 'sessions')] = server.sessions;
      out[seriesKey.balancer(server.service, 'queue')] = server.queue;
      out[seriesKey.balancer(server.service, 'rtime')] = server.rtimeMs;
    }
    return out;
  }
}
