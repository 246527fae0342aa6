// The stack across three Swarm nodes on one machine: this engine the manager, two more engines in
// containers (Docker-in-Docker from Debian's docker.io) joined as workers. The images reach the
// workers through ScaleLab's registry; the API's three tasks spread one a node; a streaming replica
// pinned to a second node labelled for databases, its lag read across the nodes; a worker killed
// under load takes its task with it, Swarm starts it again on a node that is left, and the
// balancer keeps serving meanwhile (the requests that failed are counted and printed).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepareApiBundle, resolveConfig } from '../config.js';
import { createLab } from '../create-lab.js';
import { describeSwarm, requestLoop, sleep, TEST_SEED, testTopology } from '../testing/docker-env.js';
import { ensureNodeImage, joinTestNodes, labelNode, labelThisNode, type TestNodes } from '../testing/swarm-nodes.js';
import { SwarmRuntime } from './swarm-runtime.js';
import { K6_LABEL } from './swarm-k6-spec.js';
import { K6Engine } from '../load/k6-engine.js';
import { parseWorkload } from '../load/workload-schema.js';
import { networkName } from '../runtime/names.js';
import { buildK6ReplayImage, K6_REPLAY_IMAGE } from '../testing/k6-replay-image.js';
import { FAMILY, SERIES, seriesKey } from '../../contract/series.js';

const STACK = 't-nodes';
const DB_LABEL = 'scalelab.t-nodes-db';
const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-nodes-')) });
const runtime = new SwarmRuntime({
  ...config,
  prepareApiBundle: () => prepareApiBundle(config.stackDir),
  seed: TEST_SEED,
  // The database kept to the manager, so killing a worker tests the API's tasks, not data loss.
  dbNodeLabel: DB_LABEL,
});
const docker = runtime.docker;
// The drain goes through the Lab, as the CLI and the console ask for it.
const lab = createLab({ stack: STACK, dataDir: config.dataDir, seed: TEST_SEED, runtime });

/** The running tasks of the stack's API service, by node hostname. */
async function apiTasksByNode(): Promise<Map<string, number>> {
  const nodes = new Map(
    ((await docker.listNodes()) as Array<{ ID: string; Description?: { Hostname?: string } }>).map((n) => [
      n.ID,
      n.Description?.Hostname ?? n.ID,
    ]),
  );
  const tasks = (await docker.listTasks({
    filters: { service: [`scalelab-${STACK}-api`], 'desired-state': ['running'] },
  })) as Array<{ NodeID: string; Status?: { State?: string } }>;
  const out = new Map<string, number>();
  for (const t of tasks.filter((x) => x.Status?.State === 'running'))
    out.set(nodes.get(t.NodeID)!, (out.get(nodes.get(t.NodeID)!) ?? 0) + 1);
  return out;
}

describeSwarm('the stack across three Swarm nodes', () => {
  let nodes: TestNodes;
  let entry = '';

  beforeAll(async () => {
    const started = Date.now();
    const image = ensureNodeImage(config.stackDir);
    const addr = ((await docker.info()) as { Swarm: { NodeAddr: string } }).Swarm.NodeAddr;
    nodes = await joinTestNodes(docker, { count: 2, image, registry: `${addr}:5000`, prefix: 't-node' });
    const joined = Date.now();
    // The manager and one worker may hold databases: the primary takes the manager, its replica
    // the worker (the replica's test removes it before a worker is killed or drained).
    await labelThisNode(docker, DB_LABEL, true);
    await labelNode(docker, nodes.hostnames[1], DB_LABEL, true);
    const status = await runtime.up(
      STACK,
      testTopology('load-balanced', (t) => {
        t.database.replicas = 1;
      }),
    );
    entry = status.entryUrl!;
    console.log(
      `three nodes: two workers joined in ${joined - started} ms; the stack up across them in ${Date.now() - joined} ms (images pulled from the registry)`,
    );
  }, 600_000);
  afterAll(async () => {
    await runtime.down(STACK).catch(() => undefined);
    await nodes?.remove();
    await labelThisNode(docker, DB_LABEL, false).catch(() => undefined);
  }, 180_000);

  it('spreads the API one task a node, each pulled from the registry, all behind the balancer', async () => {
    const byNode = await apiTasksByNode();
    expect([...byNode.values()]).toEqual([1, 1, 1]);
    expect([...byNode.keys()]).toEqual(expect.arrayContaining(nodes.hostnames));
    const status = await runtime.status(STACK);
    expect(status.nodes?.map((n) => n.hostname)).toEqual(expect.arrayContaining(nodes.hostnames));
    // The console's graph: the tasks on the workers too, each with its node, marked remote.
    expect(
      status.services
        .filter((s) => s.remote && s.role === 'api')
        .map((s) => `${s.role} on ${s.node}`)
        .sort(),
    ).toEqual(nodes.hostnames.map((h) => `api on ${h}`).sort());
    const loop = requestLoop(entry, { concurrency: 4, maxRequests: 300 });
    await sleep(3000);
    const r = await loop.stop();
    expect(r.failed).toEqual([]);
    expect([...r.instances.keys()].sort()).toEqual(['api-1', 'api-2', 'api-3']);
  });

  // k6 as a Swarm service: the replay of a recorded real k6 run stands in for grafana/k6 (which
  // cannot be pulled here); the service, its tasks' slots and logs, the configs, the registry and
  // the starter that resumes them over the overlay are the real thing.
  it('splits a k6 run over three generators, one Swarm task a node, their streams merged into one run', async () => {
    await buildK6ReplayImage(docker);
    const engine = new K6Engine({
      location: { kind: 'image', image: K6_REPLAY_IMAGE, version: null },
      script: path.join(config.loadScriptsDir, 'k6', 'workload.js'),
      isWorkloadScript: true,
      container: {
        docker,
        network: networkName(STACK),
        baseUrl: 'http://lb:80',
        edgeUrl: null,
        labels: {},
        swarm: (await runtime.swarmGenerators(STACK))!,
      },
      generators: 3,
    });
    const seen = new Set<string>();
    const started = Date.now();
    const res = await engine.run({
      workload: parseWorkload({
        name: 'w',
        mix: { 'cheap-read': 1 },
        rate: { kind: 'constant', rate: 10, durationSeconds: 5 },
      }),
      target: { baseUrl: entry },
      onWindow: (w) => Object.keys(w.byGenerator ?? {}).forEach((g) => seen.add(g)),
    });
    console.log(
      `three nodes: k6 as a Swarm service of 3 generators in ${Date.now() - started} ms: ` +
        res.generators!.map((g) => `${g.name} (${g.segment}) ${g.requests} on ${g.node}`).join(', '),
    );
    // The recorded test, once, in three parts (70, 69 and 69 of its 208 requests), one a node.
    expect(res.totals.completed).toBe(208);
    expect(res.generators!.map((g) => g.requests)).toEqual([70, 69, 69]);
    expect(res.generators!.map((g) => g.exitCode)).toEqual([0, 0, 0]);
    expect(new Set(res.generators!.map((g) => g.node)).size).toBe(3);
    expect([...seen].sort()).toEqual(['k6-1', 'k6-2', 'k6-3']);
    // Its service, configs and starter are removed once every generator has ended.
    const left = async () =>
      (await docker.listServices({ filters: { label: [`${K6_LABEL}=${STACK}`] } })).length +
      ((await docker.listConfigs({ filters: { label: [`${K6_LABEL}=${STACK}`] } })) as unknown[]).length +
      (await docker.listContainers({ all: true, filters: { label: [`${K6_LABEL}=${STACK}`] } })).length;
    await expect.poll(left, { timeout: 30_000, interval: 500 }).toBe(0);
  }, 180_000);

  it('puts the streaming replica on the other node labelled for databases, reads its lag across the nodes, and will not drain its node', async () => {
    const worker = nodes.hostnames[1];
    const status = await runtime.status(STACK);
    // The primary holds the manager (the only node labelled before): the copy goes elsewhere.
    expect(status.services.find((s) => s.name === 'db-replica-1')).toMatchObject({
      state: 'running',
      remote: true,
      node: worker,
    });
    expect(status.services.find((s) => s.name === 'db-primary')?.remote).toBeFalsy();
    await runtime.primarySql(
      STACK,
      'CREATE TABLE IF NOT EXISTS nodes_probe(v int); INSERT INTO nodes_probe VALUES (1)',
    );
    let lag = await runtime.replication(STACK);
    for (let i = 0; i < 20 && !lag[0]?.idle; i++) {
      await sleep(250);
      lag = await runtime.replication(STACK);
    }
    console.log(
      `three nodes: db-replica-1 on ${worker}, the primary on the manager; read over the overlay: ${lag[0]?.state}, ${lag[0]?.lagBytes} bytes behind`,
    );
    expect(lag).toMatchObject([{ replica: 'db-replica-1', state: 'streaming', idle: true }]);
    // Its data is a volume on that node: draining it is refused, naming the replica.
    await expect(lab.api.stack.node({ hostname: worker, availability: 'drain' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(new RegExp(`^${worker} holds the data of db-replica-1`)),
    });
    // Removed, and its volume with it on the worker: a one-off Swarm job there asks that node's engine.
    const volume = `scalelab-${STACK}-db-replica-1`;
    expect(await nodes.exec(worker, ['docker', 'volume', 'ls', '-q'])).toContain(volume);
    const said: string[] = [];
    await runtime.apply(
      STACK,
      (t) => ({ ...t, database: { ...t.database, replicas: 0 } }),
      (e) => said.push(e.message),
    );
    expect(said).toContain(`removing ${volume} on ${worker} (a one-off job there)`);
    expect(said.filter((m) => m.includes('may remain'))).toEqual([]);
    expect(await nodes.exec(worker, ['docker', 'volume', 'ls', '-q'])).not.toContain(volume);
    expect(await docker.listServices({ filters: { name: [`scalelab-${STACK}-volumes`] } })).toEqual([]);
    await labelNode(docker, worker, DB_LABEL, false);
  }, 240_000);

  it('keeps serving when a worker dies; Swarm starts its task again on a node that is left', async () => {
    const victim = nodes.hostnames[0];
    const loop = requestLoop(entry, { concurrency: 4, maxMs: 90_000 });
    await sleep(1500);
    const killedAt = Date.now();
    await nodes.kill(victim);
    let back: number | null = null;
    for (let i = 0; i < 150 && back === null; i++) {
      await sleep(400);
      const byNode = await apiTasksByNode();
      if (!byNode.has(victim) && [...byNode.values()].reduce((a, b) => a + b, 0) === 3) back = Date.now() - killedAt;
    }
    await sleep(1500);
    const r = await loop.stop();
    const total = r.ok + r.failed.length;
    console.log(
      `three nodes: ${victim} killed under a 4-client loop; its API task running again elsewhere after ${back} ms; ` +
        `${r.failed.length} of ${total} requests failed meanwhile (${((100 * r.failed.length) / total).toFixed(2)}%)`,
    );
    expect(back).not.toBeNull();
    expect(r.ok).toBeGreaterThan(100);
    expect(r.failed.length / total).toBeLessThan(0.05);
  }, 120_000);

  it("drains a worker during a run: its task moves, no request fails, the run's timeline and events say so", async () => {
    const worker = nodes.hostnames[1];
    // One task, or two if the killed node's went there.
    const onWorker = (await apiTasksByNode()).get(worker) ?? 0;
    expect(onWorker).toBeGreaterThanOrEqual(1);
    const remote = (await lab.api.stack.status()).services.filter((s) => s.role === 'api' && s.remote);
    expect(remote.map((s) => s.node)).toContain(worker);
    // The lesson's own measurement: read-heavy at 100/s, as in the console.
    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === 'read-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: 100, durationSeconds: 60 };
    const started = await lab.api.load.start({ workload: w });
    await sleep(3000);
    const drained = await lab.api.stack.node({ hostname: worker, availability: 'drain' });
    expect(drained).toMatchObject({ hostname: worker, availability: 'drain' });
    await sleep(3000);
    await lab.api.load.stop();
    await lab.runDone();
    const { run, timeline, events } = await lab.api.runs.open({ id: started.id });
    const s = run.summary!;
    console.log(
      `three nodes: ${worker} drained during a run at 100/s in ${drained.ms} ms (${drained.movedTasks} API task(s) moved); ` +
        `${s.failed} of ${s.requests} requests failed, p99 ${s.latency?.p99.toFixed(0)} ms`,
    );
    expect(drained.movedTasks).toBe(onWorker);
    expect((await apiTasksByNode()).has(worker)).toBe(false);
    expect([...(await apiTasksByNode()).values()].reduce((a, b) => a + b, 0)).toBe(3);
    expect(s.failed / s.requests).toBeLessThan(0.01);
    // What the lesson's check reads (the node counted drained each second), and the marker.
    expect(timeline.at(-1)!.v[SERIES.swarmNodesDrained]).toBe(1);
    expect(timeline.find((p) => SERIES.swarmNodesDrained in p.v)!.v[SERIES.swarmNodesDrained]).toBe(0);
    expect(events.map((e) => e.label)).toContain(`drain node ${worker}`);
    // The tasks on the worker, charted from HAProxy's view (found by their overlay address), and
    // counted among the instances.
    for (const s of remote)
      expect(
        timeline.some((p) => p.v[seriesKey.balancer(s.name, 'up')] === 1),
        `${s.name} on ${s.node}`,
      ).toBe(true);
    // And their own counters, read at their overlay address through the balancer's container:
    // requests a second and the process's CPU.
    for (const s of remote) {
      const rps = timeline.map((p) => p.v[FAMILY.apiRps.key(s.name)] ?? 0);
      const cpu = timeline.map((p) => p.v[seriesKey.container(s.name, 'cpu')] ?? 0);
      console.log(
        `three nodes: ${s.name} on ${s.node}: up to ${Math.max(...rps)} requests/s, CPU up to ${Math.max(...cpu)}% (its process counter)`,
      );
      expect(Math.max(...rps), `${s.name} requests/s`).toBeGreaterThan(5);
      expect(Math.max(...cpu), `${s.name} CPU`).toBeGreaterThan(0);
    }
    expect(timeline.some((p) => p.v[SERIES.apiInstances] === 3)).toBe(true);
    // The manager is now the only usable node, and the only one with the database's label.
    const manager = ((await docker.info()) as { Name: string }).Name;
    await expect(lab.api.stack.node({ hostname: manager, availability: 'drain' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect(
      ((await docker.listNodes()) as Array<{ Spec: { Availability: string } }>).filter(
        (n) => n.Spec.Availability === 'drain',
      ),
    ).toHaveLength(1);
    await lab.api.stack.node({ hostname: worker, availability: 'active' });
  }, 150_000);
});
