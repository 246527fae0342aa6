// Patroni on a real single-node Swarm (database.ha): etcd, the database nodes and the router as
// Swarm services on the overlay, Patroni's REST API read over it (no task publishes a port); the
// failover drill kills the leader, whose service then stays at none (Swarm would otherwise start it
// again before its leader key expires), a replica is promoted, and the old leader, started again,
// rejoins as a replica; synchronous mode switched through Patroni without restarting a task;
// Patroni switched off live, the database tier made again without it.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareApiBundle, resolveConfig } from '../config.js';
import { describeSwarm, leftovers, requestLoop, TEST_SEED, testTopology } from '../testing/docker-env.js';
import { SwarmRuntime } from './swarm-runtime.js';
import { runDrill } from '../database/failover-drill.js';
import { readCluster } from '../database/patroni.js';
import { patroniEndpoints } from '../runtime/ha-actions.js';
import { StackCollector } from '../metrics/stack-collector.js';
import { FAMILY, SERIES } from '../../contract/series.js';
import { SERVICE } from '../../contract/services.js';
import { drillLine, expectClusterFormed, expectFailedOver } from '../testing/ha-checks.js';

const STACK = 't-swarm-ha';
const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-swarm-ha-')) });
const runtime = new SwarmRuntime({
  ...config,
  prepareApiBundle: () => prepareApiBundle(config.stackDir),
  seed: TEST_SEED,
});
const cluster = async () => readCluster(patroniEndpoints(await runtime.services(STACK), runtime.overlayHttp(STACK)));
/** The running tasks of the stack's database services, by id. */
const dbTasks = async () =>
  (
    (await runtime.docker.listTasks({
      filters: { label: [`scalelab.stack=${STACK}`], 'desired-state': ['running'] },
    })) as Array<{ ID: string; Spec: { ContainerSpec: { Labels: Record<string, string> } } }>
  )
    .filter((t) => t.Spec.ContainerSpec.Labels['scalelab.role'] === 'db')
    .map((t) => t.ID)
    .sort();

describeSwarm('Patroni on Docker Swarm', () => {
  let entry = '';

  beforeAll(async () => {
    const started = Date.now();
    const st = await runtime.up(
      STACK,
      testTopology('load-balanced', (t) => {
        t.api.instances = 2;
        t.database.replicas = 1;
        t.database.ha = true;
      }),
    );
    entry = st.entryUrl!;
    console.log(`swarm: Patroni stack up in ${Date.now() - started} ms`);
  }, 300_000);
  afterAll(async () => {
    await runtime.down(STACK).catch(() => undefined);
  });

  it('runs etcd, the nodes and the router as services: db-primary leads, the replica streams, read over the overlay', async () => {
    const names = (await runtime.docker.listServices({ filters: { label: [`scalelab.stack=${STACK}`] } }))
      .map((s) => s.Spec?.Name)
      .sort();
    expect(names).toEqual(
      ['api', 'db-primary', 'db-replica-1', 'db-router', 'etcd-1'].map((n) => `scalelab-${STACK}-${n}`),
    );
    await expectClusterFormed(cluster, entry);
    expect((await runtime.replication(STACK)).map((l) => l.replica)).toEqual(['db-replica-1']);
    // What the console charts each second: who leads, the timeline, etcd's health, all over the overlay.
    const collector = new StackCollector(runtime, STACK, () => runtime.stackSecrets(STACK));
    try {
      const s = await collector.collect();
      expect(s[FAMILY.haLeader.key(SERVICE.primary)]).toBe(1);
      expect(s[FAMILY.haLeader.key('db-replica-1')]).toBe(0);
      expect(s[SERIES.haTimeline]).toBeGreaterThanOrEqual(1);
      expect(s[FAMILY.etcdHealthy.key('etcd-1')]).toBe(1);
    } finally {
      collector.stop();
    }
  }, 120_000);

  it('fails over when the leader is killed: kept down, a replica promoted, the old leader started again as a replica', async () => {
    const loop = requestLoop(entry, { concurrency: 2, maxMs: 120_000 });
    const r = await runDrill('failover', { runtime, stack: STACK }).finally(() => loop.stop());
    console.log(`swarm ${drillLine(r)}; reads meanwhile ${loop.result.ok} ok, ${loop.result.failed.length} failed`);
    await expectFailedOver(r, cluster);
    // The lag is read from whoever leads now.
    expect((await runtime.replication(STACK)).map((l) => l.replica)).toEqual([SERVICE.primary]);
  }, 180_000);

  it('switches synchronous mode through Patroni, restarting no task', async () => {
    const before = await dbTasks();
    const res = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, synchronous: true } }));
    expect(res.changes.map((c) => c.field)).toEqual(['database.synchronous']);
    await expect
      .poll(async () => (await cluster())?.members.find((m) => m.role === 'sync_standby')?.name, { timeout: 30_000 })
      .toBe(SERVICE.primary);
    expect(await dbTasks()).toEqual(before);
  }, 120_000);

  it('switches Patroni off live: the database tier made again without etcd or the router, seeded again, taking writes', async () => {
    const started = Date.now();
    const res = await runtime.apply(STACK, (t) => ({
      ...t,
      database: { ...t.database, ha: false, synchronous: false },
    }));
    console.log(`swarm: Patroni switched off live, the database tier made again, in ${Date.now() - started} ms`);
    expect(res.changes.map((c) => c.field).sort()).toEqual(['database.ha', 'database.synchronous']);
    const names = (await runtime.docker.listServices({ filters: { label: [`scalelab.stack=${STACK}`] } }))
      .map((s) => s.Spec?.Name)
      .sort();
    expect(names).toEqual(['api', 'db-primary', 'db-replica-1'].map((n) => `scalelab-${STACK}-${n}`));
    // No etcd volume left; the seed in the new primary; a write through the API lands there.
    const volumes = await runtime.docker.listVolumes({ filters: { name: [`scalelab-${STACK}-etcd`] } });
    expect(volumes.Volumes ?? []).toEqual([]);
    await expect
      .poll(async () => Number(await runtime.primarySql(STACK, 'SELECT count(*) FROM products')), { timeout: 30_000 })
      .toBe(TEST_SEED.products);
    const w = await fetch(`${entry}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 2, quantity: 1 }),
    });
    expect(w.status).toBe(201);
    expect(w.headers.get('x-db-node')).toBe('primary');
    await expect
      .poll(async () => (await runtime.replication(STACK)).map((l) => l.state), { timeout: 30_000 })
      .toEqual(['streaming']);
  }, 180_000);

  it('comes down leaving nothing of the stack, etcd and the nodes with their volumes', async () => {
    await runtime.down(STACK);
    expect(await leftovers(runtime, STACK)).toEqual([]);
  });
});
