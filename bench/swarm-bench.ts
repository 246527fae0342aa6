// npm run bench:swarm: the stack the Swarm target runs (the API's three instances behind the
// balancer, Redis, one PostgreSQL, the test seed) brought up on the local engine, on a one-node
// Swarm and across three nodes (this engine the manager, two engines in containers joined as
// workers), in one run; an API instance killed under a four-client loop (how long until it serves
// again, and the requests that failed); on three nodes a worker killed and a worker drained. Beside
// them, Swarm's own floor in the same run: a bare service of three `sleep` tasks from the base image
// (no health checks, no registry), how long Swarm takes to run them and to replace a killed one.
// Needs the engine to be a Swarm manager advertised on docker0 that trusts its registry (.ci/run).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { prepareApiBundle, resolveConfig } from '../app/core/config.js';
import { DockerRuntime } from '../app/core/runtime/docker-runtime.js';
import { baseImageTag } from '../app/core/runtime/images.js';
import type { StackRuntime } from '../app/core/runtime/stack-runtime.js';
import { SwarmRuntime } from '../app/core/swarm/swarm-runtime.js';
import { requestLoop } from '../app/core/testing/request-loop.js';
import { ensureNodeImage, joinTestNodes, labelThisNode } from '../app/core/testing/swarm-nodes.js';
import { TEST_SEED } from '../app/core/testing/test-seed.js';
import { getPreset } from '../app/core/topology/presets.js';
import { parseTopology } from '../app/core/topology/schema.js';

const STACK = 'bench-swarm';
const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-swarm-')) });
const options = { ...config, prepareApiBundle: () => prepareApiBundle(config.stackDir), seed: TEST_SEED };
const topology = parseTopology({
  ...getPreset('load-balanced').topology,
  cache: { enabled: true },
  ports: { entry: 0, edge: 0, tls: 0 },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number | null) => (ms === null ? 'never (within 60 s)' : `${(ms / 1000).toFixed(1)} s`);

interface Row {
  target: string;
  up: number;
  kill: string;
  more: string[];
}

/** Kills an API instance (a task, or a container) under load; until the stack's status says it serves again.
 *  The local engine restarts nothing by itself (restart policy "no": a lesson kills on purpose),
 *  so there it is started again by hand after 5 s, as `scalelab fault start` does. */
async function killInstance(runtime: StackRuntime, entry: string, byHand: boolean): Promise<string> {
  // An instance on this engine (on three nodes, the others' tasks are out of its reach).
  const status = await runtime.status(STACK);
  const name = status.services.filter((s) => s.role === 'api' && !s.remote).at(-1)!.name;
  const before = status.services.find((s) => s.name === name);
  const loop = requestLoop(entry, { concurrency: 4, maxMs: 90_000 });
  await sleep(1500);
  const t0 = Date.now();
  await runtime.fault(STACK, name, 'kill');
  if (byHand) {
    await sleep(5000);
    await runtime.fault(STACK, name, 'start');
  }
  let back: number | null = null;
  while (back === null && Date.now() - t0 < 60_000) {
    await sleep(200);
    const now = (await runtime.status(STACK)).services.find((s) => s.name === name);
    const replaced = byHand || now?.container !== before?.container;
    if (now && replaced && now.state === 'running' && now.health === 'healthy') back = Date.now() - t0;
  }
  await sleep(1000);
  const r = await loop.stop();
  const how = byHand ? 'started by hand at 5 s, serving' : 'replaced by Swarm, serving';
  return `${name} killed: ${how} after ${secs(back)}; ${r.failed.length} of ${r.ok + r.failed.length} requests failed`;
}

/** Swarm's floor: three replicas of `sleep` from the base image, run, one killed and replaced. */
async function swarmFloor(docker: Docker): Promise<string> {
  const name = 'scalelab-bench-floor';
  const t0 = Date.now();
  const service = await docker.createService({
    Name: name,
    TaskTemplate: { ContainerSpec: { Image: baseImageTag(config.stackDir), Command: ['sleep', '600'] } },
    Mode: { Replicated: { Replicas: 3 } },
  } as Docker.CreateServiceOptions);
  const running = async () =>
    (
      (await docker.listTasks({ filters: { service: [name], 'desired-state': ['running'] } })) as Array<{
        Status: { State: string; ContainerStatus?: { ContainerID?: string } };
      }>
    ).filter((t) => t.Status.State === 'running');
  while ((await running()).length < 3) await sleep(100);
  const upMs = Date.now() - t0;
  const victim = (await running())[0].Status.ContainerStatus!.ContainerID!;
  const t1 = Date.now();
  await docker.getContainer(victim).kill();
  while (
    (await running()).length < 3 ||
    (await running()).some((t) => t.Status.ContainerStatus?.ContainerID === victim)
  )
    await sleep(100);
  const replacedMs = Date.now() - t1;
  await service.remove();
  return `3 sleep tasks running after ${secs(upMs)}; a killed one replaced after ${secs(replacedMs)}`;
}

async function measure(target: string, runtime: StackRuntime, extra?: (entry: string) => Promise<string[]>) {
  await runtime.down(STACK);
  const t0 = Date.now();
  const st = await runtime.up(STACK, topology);
  const up = Date.now() - t0;
  const kill = await killInstance(runtime, st.entryUrl!, runtime instanceof DockerRuntime);
  const more = extra ? await extra(st.entryUrl!) : [];
  await runtime.down(STACK);
  return { target, up, kill, more } satisfies Row;
}

async function main(): Promise<void> {
  const local = new DockerRuntime(options);
  await local.ping();
  process.stdout.write('building images if missing... ');
  await local.prepareImages(topology);
  console.log('done');
  const rows: Row[] = [];
  rows.push(await measure('local engine', local));
  const swarm = new SwarmRuntime({ ...options, registry: 'none' });
  await swarm.ping();
  const floor = await swarmFloor(swarm.docker);
  rows.push(await measure('Swarm, one node', swarm));

  const addr = ((await swarm.docker.info()) as { Swarm: { NodeAddr: string } }).Swarm.NodeAddr;
  const nodes = await joinTestNodes(swarm.docker, {
    count: 2,
    image: ensureNodeImage(config.stackDir),
    registry: `${addr}:5000`,
    prefix: 'bench-node',
  });
  // The database kept to the manager (a placement label), so a worker lost costs API tasks only.
  const DB_LABEL = 'scalelab.bench-db';
  await labelThisNode(swarm.docker, DB_LABEL, true);
  try {
    const three = new SwarmRuntime({ ...options, dbNodeLabel: DB_LABEL });
    rows.push(
      await measure('Swarm, three nodes', three, async (entry) => {
        const out: string[] = [];
        // A worker killed: until the stack's API tasks all run again on the nodes left.
        const loop = requestLoop(entry, { concurrency: 4, maxMs: 120_000 });
        await sleep(1500);
        const victim = (
          (await three.docker.listNodes()) as Array<{ ID: string; Description: { Hostname: string } }>
        ).find((n) => n.Description.Hostname === nodes.hostnames[0])!.ID;
        const held = (await three.status(STACK)).nodes?.find((n) => n.hostname === nodes.hostnames[0])?.services ?? [];
        const t0 = Date.now();
        await nodes.kill(nodes.hostnames[0]);
        let back: number | null = null;
        while (back === null && Date.now() - t0 < 60_000) {
          await sleep(300);
          const tasks = (await three.docker.listTasks({
            filters: { service: [`scalelab-${STACK}-api`], 'desired-state': ['running'] },
          })) as Array<{ NodeID: string; Status: { State: string } }>;
          // Until Swarm has called the node down and runs its tasks on the others.
          const moved = tasks.every((t) => t.NodeID !== victim && t.Status.State === 'running');
          if (tasks.length === 3 && moved) back = Date.now() - t0;
        }
        await sleep(1000);
        const lost = await loop.stop();
        out.push(
          `worker killed (it ran ${held.join(', ') || 'nothing of the stack'}): the API's tasks running elsewhere after ${secs(back)}; ${lost.failed.length} of ${lost.ok + lost.failed.length} requests failed`,
        );
        const drainLoop = requestLoop(entry, { concurrency: 4, maxMs: 120_000 });
        await sleep(1500);
        const drained = await three.setNodeAvailability(STACK, nodes.hostnames[1], 'drain');
        const d = await drainLoop.stop();
        out.push(
          `worker drained in ${secs(drained.ms)} (${drained.movedTasks} tasks moved); ${d.failed.length} of ${d.ok + d.failed.length} requests failed`,
        );
        return out;
      }),
    );
  } finally {
    await nodes.remove();
    await labelThisNode(swarm.docker, DB_LABEL, false);
  }

  console.log('\nthe stack the Swarm target runs (load-balanced, cache on, test seed), this machine:');
  for (const r of rows) {
    console.log(`- ${r.target}: up in ${secs(r.up)}; ${r.kill}`);
    for (const m of r.more) console.log(`    ${m}`);
  }
  console.log(`- reference, Swarm alone (docker service of sleep tasks, no health checks): ${floor}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
