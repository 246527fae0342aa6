// The Swarm target on a real single-node Swarm: the stack as Swarm services on an overlay, the API
// instances one service's replicas behind the balancer; a task killed under load is replaced by
// Swarm itself (the requests that failed meanwhile counted and printed); the API scaled by a
// service update, a setting and a new version rolled through its tasks (new task first), and
// deployed back by canary (a second set beside it, weighted at the balancer); the
// monitoring, Prometheus finding the API's tasks through Swarm; backups and a point-in-time
// restore of the primary (its service scaled to none and back); the orders sharded over two
// primaries (a stack of their own), resharded live under writes; a streaming replica pinned to its
// node, PgBouncer switched on, their figures read over the overlay; the tests both targets share (testing/stack-contract.ts); what Swarm cannot run yet,
// and a placement no node allows, refused before anything is made; down leaves nothing. One
// stack for the whole file, its images pushed to ScaleLab's own registry (Debian's docker-registry
// as a Swarm service) and pulled from there by the tasks, as every node of a Swarm of several does.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareApiBundle, resolveConfig } from '../config.js';
import { LABEL } from '../runtime/names.js';
import {
  describeSwarm,
  getJson,
  leftovers,
  requestLoop,
  sleep,
  TEST_SEED,
  testTopology,
} from '../testing/docker-env.js';
import { shardOf } from '../../../stack/api/src/shard-map.js';
import type { RegistrySetting } from './registry.js';
import { SwarmRuntime } from './swarm-runtime.js';
import { createLab } from '../create-lab.js';
import { stackContract } from '../testing/stack-contract.js';
import { runRestoreDrill } from '../database/restore-drill.js';
import { FAMILY, SERIES, seriesKey } from '../../contract/series.js';
import type { StackProgress } from '../../contract/stack.js';
import { WriteProbe } from '../database/write-probe.js';
import { TUNNEL_LABEL } from './overlay-tunnel.js';

const STACK = 't-swarm';

const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-swarm-'));

function swarmRuntime(dbNodeLabel?: string, registry: RegistrySetting = 'own'): SwarmRuntime {
  const config = resolveConfig({ dataDir: home });
  return new SwarmRuntime({
    ...config,
    prepareApiBundle: () => prepareApiBundle(config.stackDir),
    seed: TEST_SEED,
    dbNodeLabel,
    registry,
  });
}

describeSwarm('the stack on Docker Swarm', () => {
  const runtime = swarmRuntime();
  const services = () => runtime.docker.listServices({ filters: { label: [`${LABEL.stack}=${STACK}`] } });
  let entry = '';

  beforeAll(async () => {
    // From the first push to the first service made: the images' way into the registry.
    let pushFrom = 0;
    let pushTo = 0;
    let pushed = 0;
    const started = Date.now();
    const status = await runtime.up(
      STACK,
      testTopology('load-balanced', (t) => {
        t.cache.enabled = true;
        t.database.replicas = 1;
      }),
      (e) => {
        if (e.phase === 'image' && e.message.startsWith('pushing')) {
          pushFrom ||= Date.now();
          pushed++;
        }
        if (e.phase === 'create' && e.message.startsWith('Swarm service')) pushTo ||= Date.now();
      },
    );
    console.log(
      `swarm up with ScaleLab's registry: ${Date.now() - started} ms, of which ${pushTo - pushFrom} ms pushing ${pushed} images (layers the registry has are skipped)`,
    );
    entry = status.entryUrl!;
  });
  afterAll(async () => {
    await runtime.down(STACK).catch(() => undefined);
  });

  it('runs each role as a Swarm service, the API as three replicas named by slot, behind the balancer on 127.0.0.1', async () => {
    expect((await services()).map((s) => s.Spec?.Name).sort()).toEqual([
      'scalelab-t-swarm-api',
      'scalelab-t-swarm-cache',
      'scalelab-t-swarm-db-primary',
      'scalelab-t-swarm-db-replica-1',
    ]);
    const status = await runtime.status(STACK);
    expect(status.services.map((s) => `${s.name} ${s.state} ${s.health}`).sort()).toEqual([
      'api-1 running healthy',
      'api-2 running healthy',
      'api-3 running healthy',
      'cache running healthy',
      'db-primary running healthy',
      'db-replica-1 running healthy',
      'lb running healthy',
    ]);
    expect(entry).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Every service runs its image from the registry at the manager's Swarm address (what a node
    // without the images pulls).
    const addr = ((await runtime.docker.info()) as { Swarm: { NodeAddr: string } }).Swarm.NodeAddr;
    const fromRegistry = new RegExp(`^${addr.replaceAll('.', '\\.')}:5000/scalelab/`);
    expect(
      (await services()).map(
        (s) => (s.Spec?.TaskTemplate as { ContainerSpec?: { Image?: string } }).ContainerSpec?.Image,
      ),
    ).toEqual([
      expect.stringMatching(fromRegistry),
      expect.stringMatching(fromRegistry),
      expect.stringMatching(fromRegistry),
      expect.stringMatching(fromRegistry),
    ]);
    // The console and `scalelab status` show the target and each node with the tasks it runs.
    expect(status.target).toBe('swarm');
    expect(status.nodes).toEqual([
      expect.objectContaining({
        role: 'manager',
        state: 'ready',
        availability: 'active',
        services: ['api-1', 'api-2', 'api-3', 'cache', 'db-primary', 'db-replica-1'],
      }),
    ]);
    // The balancer spreads requests over the three tasks it found through Swarm's DNS.
    const loop = requestLoop(entry, { concurrency: 4, maxRequests: 300 });
    await sleep(3000);
    const r = await loop.stop();
    expect(r.failed).toEqual([]);
    expect([...r.instances.keys()].sort()).toEqual(['api-1', 'api-2', 'api-3']);
  });

  // Shared with the local engine (docker-runtime.docker.test.ts): the replica reached over the overlay.
  stackContract(() => ({ runtime, stack: STACK, entry, replicas: ['db-replica-1'] }));

  it('replaces a task killed under load by itself, and keeps serving meanwhile', async () => {
    const before = (await runtime.services(STACK)).find((s) => s.name === 'api-2')!;
    const loop = requestLoop(entry, { concurrency: 4, maxMs: 30_000 });
    await sleep(1500);
    const killedAt = Date.now();
    await runtime.fault(STACK, 'api-2', 'kill');
    let replaced: number | null = null;
    for (let i = 0; i < 100 && replaced === null; i++) {
      await sleep(200);
      const now = (await runtime.status(STACK)).services.find((s) => s.name === 'api-2');
      if (now && now.container !== before.container && now.state === 'running' && now.health === 'healthy')
        replaced = Date.now() - killedAt;
    }
    await sleep(1500);
    const r = await loop.stop();
    const total = r.ok + r.failed.length;
    console.log(
      `swarm: api-2 killed under a 4-client loop; replaced and healthy after ${replaced} ms; ` +
        `${r.failed.length} of ${total} requests failed meanwhile (${((100 * r.failed.length) / total).toFixed(2)}%)`,
    );
    expect(replaced).not.toBeNull();
    expect(r.ok).toBeGreaterThan(100);
    expect(r.failed.length / total).toBeLessThan(0.05);
  });

  it("runs load through the Lab as on one engine: the collectors read the tasks' figures each second", async () => {
    const lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED, runtime });
    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: 50, durationSeconds: 8 };
    const started = await lab.api.load.start({ workload: w });
    await lab.runDone();
    const { run, timeline } = await lab.api.runs.open({ id: started.id });
    expect(run.summary!.failed).toBe(0);
    const late = timeline.slice(2);
    const has = (key: string) => late.some((p) => typeof p.v[key] === 'number' && p.v[key]! > 0);
    // The client's view, the API's own /metrics, PostgreSQL's counters and Docker's stats per task.
    expect(has(SERIES.rps)).toBe(true);
    for (const i of ['api-1', 'api-2', 'api-3']) {
      expect(has(FAMILY.instance.key(i)), `requests served by ${i}`).toBe(true);
      expect(has(FAMILY.apiRps.key(i)), `${i}'s own request counter`).toBe(true);
      expect(has(seriesKey.container(i, 'cpu')), `${i}'s CPU`).toBe(true);
    }
    expect(has(SERIES.dbQueries)).toBe(true);
    // The expensive read's plan, from PostgreSQL on the primary's task, as on one engine.
    const plan = await lab.api.stack.explain({ category: 3 });
    expect(plan.node).toBe('db-primary');
    expect(plan.text).toMatch(/Execution Time/);
    expect(plan.executionMs).toBeGreaterThan(0);
  });

  it('scales the API by a service update, and refuses a change it cannot apply on Swarm, changing nothing', async () => {
    const res = await runtime.apply(STACK, (t) => ({ ...t, api: { ...t.api, instances: 2 } }));
    expect(res.changes.map((c) => c.field)).toEqual(['api.instances']);
    expect(
      res.status.services
        .filter((s) => s.role === 'api' && s.state === 'running')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['api-1', 'api-2']);
    await expect(
      runtime.apply(STACK, (t) => ({
        ...t,
        api: { ...t.api, instances: 1 },
        loadBalancer: { ...t.loadBalancer, enabled: false },
      })),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/cannot run this topology: it needs an entry without the balancer/),
    });
    expect((await runtime.topology(STACK))?.api.instances).toBe(2);
    expect((await runtime.topology(STACK))?.loadBalancer.enabled).toBe(true);
  });

  it("watches the stack with Prometheus: the API's tasks found through Swarm by slot and node, the rest by name; kept through changes", async () => {
    const lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED, runtime });
    const on = await runtime.apply(STACK, (t) => ({
      ...t,
      api: { ...t.api, instances: 2 },
      monitoring: { ...t.monitoring, enabled: true, scrapeSeconds: 1 },
    }));
    expect(on.status.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await services()).map((s) => s.Spec?.Name)).toContain(`scalelab-${STACK}-redis-exporter`);
    const upTargets = async (n: number) => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(500)) {
        const t = await lab.api.monitoring.targets().catch(() => []);
        if (t.length === n && t.every((x) => x.health === 'up')) return t.map((x) => `${x.job} ${x.instance}`).sort();
      }
      return (await lab.api.monitoring.targets()).map((x) => `${x.job} ${x.instance} ${x.health} ${x.lastError}`);
    };
    expect(await upTargets(8)).toEqual([
      'alertmanager alertmanager',
      'api api-1',
      'api api-2',
      'haproxy lb',
      'postgres db-primary',
      'postgres db-replica-1',
      'prometheus prometheus',
      'redis redis-exporter',
    ]);
    const hostname = ((await runtime.docker.info()) as { Name: string }).Name;
    const byNode = await lab.api.monitoring.query({ expr: 'count by (node) (up{job="api"} == 1)' });
    expect(byNode.series.map((s) => [s.labels.node, s.value])).toEqual([[hostname, 2]]);
    expect((await lab.api.monitoring.query({ expr: 'redis_up' })).series.map((s) => s.value)).toEqual([1]);
    // A third task is found by Prometheus itself; a threshold rewrites the rules: the same
    // Prometheus container throughout, its history kept.
    const prometheusId = async () =>
      (
        await runtime.docker.listContainers({
          filters: { label: [`${LABEL.stack}=${STACK}`, `${LABEL.role}=prometheus`] },
        })
      )[0]?.Id;
    const before = await prometheusId();
    await runtime.apply(STACK, (t) => ({
      ...t,
      api: { ...t.api, instances: 3 },
      monitoring: { ...t.monitoring, alerts: { ...t.monitoring.alerts, p95Ms: 750 } },
    }));
    expect(await upTargets(9)).toContain('api api-3');
    expect((await lab.api.monitoring.rules()).yaml).toContain('> 750');
    expect(await prometheusId()).toBe(before);
    const off = await runtime.apply(STACK, (t) => ({
      ...t,
      api: { ...t.api, instances: 2 },
      monitoring: { ...t.monitoring, enabled: false },
    }));
    expect(
      off.status.services.filter((s) => ['prometheus', 'alertmanager', 'redis-exporter'].includes(s.role)),
    ).toEqual([]);
    expect((await services()).map((s) => s.Spec?.Name)).not.toContain(`scalelab-${STACK}-redis-exporter`);
  }, 180_000);

  it("backs up in the primary's task and restores it to a point in time: its service scaled to none and back, the replica cloned again", async () => {
    const on = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, backups: true } }));
    expect(on.changes.map((c) => c.field)).toEqual(['database.backups']);
    expect((await runtime.backups(STACK)).map((b) => b.type)).toEqual(['full']);
    const r = await runRestoreDrill({ runtime, stack: STACK });
    console.log(
      `swarm: restore to ${r.target}: before ${r.beforeTarget.present}/${r.beforeTarget.acknowledged}, after ${r.afterTarget.present}/${r.afterTarget.acknowledged}, ` +
        `restore ${r.restoreMs} ms, write outage ${r.writeOutageMs} ms; recloned ${r.replicasRecloned.join(', ')}; notes: ${r.notes.join(' | ') || 'none'}`,
    );
    expect(r.beforeTarget.acknowledged).toBeGreaterThan(50);
    expect(r.beforeTarget.present).toBe(r.beforeTarget.acknowledged);
    expect(r.afterTarget.acknowledged).toBeGreaterThan(20);
    expect(r.afterTarget.present).toBe(0);
    expect(r.notes).toEqual([]);
    expect(r.replicasRecloned).toEqual(['db-replica-1']);
    // A new timeline, and the replica, cloned again, streams from it.
    expect(
      Number(await runtime.primarySql(STACK, 'SELECT timeline_id FROM pg_control_checkpoint()')),
    ).toBeGreaterThanOrEqual(2);
    await expect
      .poll(async () => (await runtime.replication(STACK)).map((l) => l.state), { timeout: 30_000 })
      .toEqual(['streaming']);
    const off = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, backups: false } }));
    expect(off.changes.map((c) => c.field)).toEqual(['database.backups']);
  }, 300_000);

  it('pins each database to its node, switches PgBouncer on, reads lag, connections and pools over the overlay, and removes the replica with its data', async () => {
    const hostname = ((await runtime.docker.info()) as { Name: string }).Name;
    for (const name of ['db-primary', 'db-replica-1']) {
      const [svc] = await runtime.docker.listServices({ filters: { name: [`scalelab-${STACK}-${name}`] } });
      expect(svc.Spec?.TaskTemplate?.Placement?.Constraints, name).toEqual([`node.hostname==${hostname}`]);
    }
    const t0 = Date.now();
    const on = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, pooler: 'pgbouncer' as const } }));
    console.log(`swarm: PgBouncer switched on, the API's tasks rolled to connect through it, in ${Date.now() - t0} ms`);
    expect(on.changes.map((c) => c.field)).toEqual(['database.pooler']);
    // The collector reads each second through the Lab: the replica's lag, each node's connections
    // and the pools of the PgBouncer beside it, which the API now connects through.
    const lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED, runtime });
    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: 20, durationSeconds: 4 };
    const started = await lab.api.load.start({ workload: w });
    await lab.runDone();
    const { timeline } = await lab.api.runs.open({ id: started.id });
    expect(timeline.some((p) => typeof p.v[SERIES.lagMax] === 'number')).toBe(true);
    expect(timeline.some((p) => p.v[seriesKey.lag('db-replica-1', 'idle')] !== undefined)).toBe(true);
    const peak = (key: string) => Math.max(...timeline.map((p) => p.v[key] ?? -1));
    expect(peak(FAMILY.dbConnections.key('db-primary'))).toBeGreaterThan(0);
    expect(peak(seriesKey.pooler('db-primary', 'clients'))).toBeGreaterThan(0);
    expect(peak(SERIES.poolerWaiting)).toBeGreaterThanOrEqual(0);
    // Removed with its volume: a replica added again later clones afresh, not from stale data.
    const off = await runtime.apply(STACK, (t) => ({
      ...t,
      database: { ...t.database, replicas: 0, pooler: 'none' as const },
    }));
    expect(off.status.services.some((s) => s.name === 'db-replica-1')).toBe(false);
    const volumes = await runtime.docker.listVolumes({ filters: { name: [`scalelab-${STACK}-db-replica-1`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
  }, 180_000);

  it('puts the edge cache in front when switched on (a container on this node, on the overlay), and takes it away', async () => {
    const on = await runtime.apply(STACK, (t) => ({ ...t, edgeCache: { ...t.edgeCache, enabled: true } }));
    expect(on.changes.map((c) => c.field)).toContain('edgeCache.enabled');
    const edge = on.status.edgeUrl!;
    expect(edge).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // A static file through the edge: the second answer from its cache, the origin on the overlay.
    const first = await fetch(`${edge}/static/app.js`);
    await first.arrayBuffer();
    const second = await fetch(`${edge}/static/app.js`);
    await second.arrayBuffer();
    expect(first.status).toBe(200);
    expect(second.headers.get('x-edge-cache')).toBe('HIT');
    // The balancer was not made again: the entry is where it was.
    expect(on.status.entryUrl).toBe(entry);
    const off = await runtime.apply(STACK, (t) => ({ ...t, edgeCache: { ...t.edgeCache, enabled: false } }));
    expect(off.status.edgeUrl ?? null).toBeNull();
    expect(off.status.services.some((s) => s.role === 'cdn')).toBe(false);
  });

  it("rolls a setting through the API's tasks by a service update, new task first, under load", async () => {
    const apiTasks = async () =>
      (
        (await runtime.docker.listTasks({
          filters: { service: [`scalelab-${STACK}-api`], 'desired-state': ['running'] },
        })) as Array<{ ID: string; Spec: { ContainerSpec: { Env: string[] } } }>
      ).map((t) => ({
        id: t.ID,
        config: t.Spec.ContainerSpec.Env.find((e) => e.startsWith('SCALELAB_CONFIG=')) ?? '',
      }));
    const before = await apiTasks();
    const loop = requestLoop(entry, { concurrency: 4, maxMs: 120_000 });
    await sleep(1000);
    const started = Date.now();
    const res = await runtime.apply(STACK, (t) => ({ ...t, cache: { ...t.cache, ttlSeconds: 120 } }));
    const took = Date.now() - started;
    await sleep(1000);
    const r = await loop.stop();
    const total = r.ok + r.failed.length;
    console.log(
      `swarm: cache.ttlSeconds rolled through ${before.length} API tasks in ${took} ms (start-first); ${r.failed.length} of ${total} requests failed meanwhile`,
    );
    expect(res.changes.map((c) => c.field)).toEqual(['cache.ttlSeconds']);
    const after = await apiTasks();
    expect(after).toHaveLength(2);
    // New tasks, each with the new setting.
    expect(after.some((t) => before.some((b) => b.id === t.id))).toBe(false);
    for (const t of after) expect(t.config).toMatch(/"ttlSeconds":120/);
    expect(r.ok).toBeGreaterThan(100);
    expect(r.failed.length / total).toBeLessThan(0.01);
  }, 240_000);

  it('deploys a new version of the API rolling, as Swarm updates a service: new task first, every task on v2, under load', async () => {
    const lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED, runtime });
    await lab.api.stack.buildVersion({ name: 'v2' });
    const loop = requestLoop(entry, { concurrency: 4, maxMs: 120_000 });
    await sleep(1000);
    await runtime.apply(STACK, (t) => ({ ...t, api: { ...t.api, instances: 2 } }));
    const res = await lab.api.stack.deploy({ version: 'v2' });
    await sleep(1000);
    const r = await loop.stop();
    const total = r.ok + r.failed.length;
    console.log(
      `swarm: rolling deploy v1 → v2 through ${res.instances.length} API tasks in ${res.durationMs} ms; ${r.failed.length} of ${total} requests failed meanwhile`,
    );
    expect(res.outcome).toBe('promoted');
    expect(res.instances.map((i) => i.version)).toEqual(['v2', 'v2']);
    // The API service runs the version's own image, from the registry like every other.
    const [api] = await runtime.docker.listServices({ filters: { name: [`scalelab-${STACK}-api`] } });
    expect((api.Spec?.TaskTemplate as { ContainerSpec: { Image: string } }).ContainerSpec.Image).toMatch(
      /:5000\/scalelab\/api-version:v2$/,
    );
    expect(r.failed.length / total).toBeLessThan(0.01);
  }, 240_000);

  it("deploys by canary under load: a second set, a service an instance, takes its share at the balancer's slots, then the API service's places", async () => {
    const lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED, runtime });
    const loop = requestLoop(entry, { concurrency: 4, maxMs: 120_000 });
    await sleep(1000);
    const res = await lab.api.stack.deploy({ version: 'v1', strategy: 'canary', steps: [50, 100], stepSeconds: 3 });
    await sleep(1000);
    const r = await loop.stop();
    const total = r.ok + r.failed.length;
    console.log(
      `swarm: canary v2 → v1 in ${res.durationMs} ms (${res.markers.map((m) => m.phase + (m.percent !== undefined ? ` ${m.percent}%` : '')).join(', ')}); ${r.failed.length} of ${total} requests failed meanwhile`,
    );
    expect(res.outcome).toBe('promoted');
    expect(res.markers.filter((m) => m.phase === 'judged').map((m) => m.judgement?.verdict)).toEqual(['pass']);
    expect(res.instances.map((i) => `${i.name} ${i.version}`).sort()).toEqual(['api-1 v1', 'api-2 v1']);
    // The second set's services are gone; the API service runs v1's image, two tasks.
    const names = (await services()).map((x) => x.Spec?.Name);
    expect(names.filter((n) => /-api-\d+$/.test(n ?? ''))).toEqual([]);
    const [api] = await runtime.docker.listServices({ filters: { name: [`scalelab-${STACK}-api`] } });
    expect(api.Spec?.Mode?.Replicated?.Replicas).toBe(2);
    expect((api.Spec?.TaskTemplate as { ContainerSpec: { Image: string } }).ContainerSpec.Image).not.toMatch(
      /api-version/,
    );
    expect((await runtime.topology(STACK))?.api.version).toBe('v1');
    expect(r.failed.length / total).toBeLessThan(0.01);
  }, 240_000);

  it('spreads the orders over two sharded primaries, writes routed by product; reshards live under writes, a third shard added and removed, no order lost', async () => {
    const other = 't-swarm-shards';
    const st = await runtime.up(
      other,
      testTopology('load-balanced', (t) => {
        t.api.instances = 1;
        t.database.replicas = 0;
        t.database.shards = 2;
      }),
    );
    try {
      // Each primary counted over the overlay, as the engine reads them on Swarm.
      const rows = runtime.overlayDbRows(other, (await runtime.stackSecrets(other)).dbPassword)!;
      const count = async (db: string, sql = 'SELECT count(*) AS n FROM orders') =>
        Number((await rows(`${db}:5432`, 'scalelab', sql))[0]!.n);
      const counts = [await count('db-primary'), await count('db-shard-1')];
      expect(counts[0]! + counts[1]!).toBe(TEST_SEED.orders);
      for (const n of counts) expect(n).toBeGreaterThan(TEST_SEED.orders / 5);
      for (const productId of [1, 2, 3]) {
        const res = await getJson(`${st.entryUrl}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ productId, quantity: 1 }),
        });
        expect(res.status).toBe(201);
        const shard = shardOf(productId, { count: 2, mode: 'hash' }, TEST_SEED.products);
        expect(res.headers.get('x-db-node')).toBe(shard === 0 ? 'primary' : 'db-shard-1');
        expect((await getJson(`${st.entryUrl}/orders/${res.body.id}`)).status).toBe(200);
      }

      // A third shard under writes and reads: made as a service, the API rolled onto the new
      // layout, the rows moved through the tunnel; then back to two, the third drained first.
      const probe = new WriteProbe({ entryUrl: st.entryUrl!, rate: 20, maxMs: 180_000 });
      const reads = requestLoop(st.entryUrl!, { concurrency: 2, maxMs: 180_000, maxRequests: 300_000 });
      probe.start();
      const events: StackProgress[] = [];
      const t0 = Date.now();
      const grown = await runtime.apply(
        other,
        (t) => ({ ...t, database: { ...t.database, shards: 3 } }),
        (e) => void events.push(e),
      );
      const t1 = Date.now();
      const shrunk = await runtime.apply(other, (t) => ({ ...t, database: { ...t.database, shards: 2 } }));
      const t2 = Date.now();
      await probe.stop();
      const served = await reads.stop();
      const [g, k] = [grown.rebalance!, shrunk.rebalance!];
      console.log(
        `swarm reshard 2→3: applied in ${((t1 - t0) / 1000).toFixed(1)} s, ${g.rowsMoved} rows moved in ${g.seconds.toFixed(1)} s, ` +
          `per shard ${JSON.stringify(g.rowsPerShard)}; 3→2: applied in ${((t2 - t1) / 1000).toFixed(1)} s, ${k.rowsMoved} rows in ` +
          `${k.seconds.toFixed(1)} s; probe ${probe.writes.length} writes, ${served.ok} reads`,
      );
      expect(g.leftMisplaced).toBe(0);
      expect(g.rowsPerShard['db-shard-2']).toBeGreaterThan(0);
      expect(events.some((e) => /moving orders: [\d,]+ of [\d,]+ rows/.test(e.message))).toBe(true);
      expect(k.leftMisplaced).toBe(0);
      expect(k.rowsPerShard['db-shard-2']).toBe(0);
      // No request lost while the shards changed: every write acknowledged, every read answered.
      expect(probe.writes.filter((w) => w.id === null).map((w) => w.failure)).toEqual([]);
      expect(served.failed).toEqual([]);
      // The third shard's service and volume gone; every order on exactly one of the two left.
      const names = (await runtime.docker.listServices({ filters: { label: [`${LABEL.stack}=${other}`] } })).map(
        (x) => x.Spec?.Name,
      );
      expect(names).not.toContain(`scalelab-${other}-db-shard-2`);
      expect((await runtime.topology(other))?.database.shards).toBe(2);
      const total = (await count('db-primary')) + (await count('db-shard-1'));
      const distinct =
        (await count('db-primary', 'SELECT count(DISTINCT id) AS n FROM orders')) +
        (await count('db-shard-1', 'SELECT count(DISTINCT id) AS n FROM orders'));
      expect(total).toBe(distinct);
      expect(total).toBe(TEST_SEED.orders + 3 + probe.writes.length);
      for (const w of probe.writes.slice(-50))
        expect((await getJson(`${st.entryUrl}/orders/${w.id}`)).status).toBe(200);
      // No tunnel left behind.
      expect(
        await runtime.docker.listContainers({ all: true, filters: { label: [`${TUNNEL_LABEL}=${other}`] } }),
      ).toEqual([]);
    } finally {
      await runtime.down(other);
    }
    expect(await leftovers(runtime, other)).toEqual([]);
  }, 300_000);

  it('refuses what it cannot run, and a database label no node has, before making anything', async () => {
    const other = 't-swarm-no';
    await expect(runtime.up(other, testTopology('single-server'))).rejects.toThrow(/the balancer is the entry/);
    await expect(swarmRuntime('scalelab.nowhere').up(other, testTopology('three-tier'))).rejects.toMatchObject({
      message: 'No node of the Swarm is labelled scalelab.nowhere=true: the database would have nowhere to run.',
    });
    // A registry that does not answer: said before any service, network or volume is made.
    await expect(
      swarmRuntime(undefined, { address: '127.0.0.1:9' }).up(other, testTopology('three-tier')),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /^The image registry at 127\.0\.0\.1:9 does not answer \(ECONNREFUSED\); nothing was created\.$/,
      ),
    });
    expect(await leftovers(runtime, other)).toEqual([]);
    expect(await runtime.docker.listServices({ filters: { label: [`${LABEL.stack}=${other}`] } })).toEqual([]);
  });

  it('keeps the passwords in Docker secrets: none in a spec or a task environment, each task reading its file', async () => {
    const secrets = (await runtime.docker.listSecrets({
      filters: { label: [`${LABEL.stack}=${STACK}`] },
    })) as unknown as Array<{ Spec: { Name: string } }>;
    expect(secrets.map((s) => s.Spec.Name.replace(/-[0-9a-f]{12}$/, '')).sort()).toEqual([
      'scalelab-t-swarm-admin-token',
      'scalelab-t-swarm-db-password',
      'scalelab-t-swarm-redis-password',
    ]);
    const { dbPassword, adminToken } = await runtime.stackSecrets(STACK);
    const specs = JSON.stringify((await services()).map((s) => s.Spec));
    expect(specs).not.toContain(dbPassword);
    expect(specs).not.toContain(adminToken);
    expect(specs).toContain('DB_PASSWORD_FILE=/run/secrets/db_password');
    // A task's own environment holds the file's name; the engine reads the value from inside it.
    const tasks = await runtime.docker.listContainers({ filters: { label: [`${LABEL.stack}=${STACK}`] } });
    for (const c of tasks.filter((t) => t.Labels['com.docker.swarm.task.id'])) {
      const env = JSON.stringify((await runtime.docker.getContainer(c.Id).inspect()).Config.Env);
      expect(env).not.toContain(dbPassword);
    }
    // ... and the engine's probe of the primary logs in with the password read there.
    expect((await runtime.status(STACK)).services.find((s) => s.name === 'db-primary')?.health).toBe('healthy');
  });

  it('comes down leaving no service, container, network, secret or volume of the stack; the registry stays for the next', async () => {
    await runtime.down(STACK);
    expect(await services()).toEqual([]);
    expect(await leftovers(runtime, STACK)).toEqual([]);
    expect(await runtime.docker.listSecrets({ filters: { label: [`${LABEL.stack}=${STACK}`] } })).toEqual([]);
    const registry = await runtime.docker.listServices({ filters: { label: ['scalelab.registry'] } });
    expect(registry.map((s) => s.Spec?.Name)).toEqual(['scalelab-registry']);
  });
});
