// Helpers for *.docker.test.ts: a runtime on a throw-away data directory with a small data set,
// random host ports, and a bounded request loop for "no request failed while ..." checks.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { prepareApiBundle, resolveConfig } from '../config.js';
import { DockerRuntime, type DockerRuntimeOptions } from '../runtime/docker-runtime.js';
import { LABEL } from '../runtime/names.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import type { Lab } from '../create-lab.js';
import type { Workload } from '../../contract/load.js';
import { TEST_SEED } from './test-seed.js';

export const describeDocker = (name: string, fn: () => void) => describe.skipIf(!inject('dockerAvailable'))(name, fn);
/** Tests of the Swarm target: the engine must be a Swarm manager (`docker swarm init`). */
export const describeSwarm = (name: string, fn: () => void) => describe.skipIf(!inject('swarmAvailable'))(name, fn);

export { TEST_SEED };

export function testRuntime(extra: Partial<DockerRuntimeOptions> = {}): DockerRuntime {
  const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-test-')) });
  return new DockerRuntime({
    ...config,
    prepareApiBundle: () => prepareApiBundle(config.stackDir),
    seed: TEST_SEED,
    ...extra,
  });
}

/** A preset on random loopback ports, so tests never collide with a stack the user runs on 8080. */
export function testTopology(preset: string, patch: (t: Topology) => void = () => undefined): Topology {
  const t = structuredClone(getPreset(preset).topology);
  t.ports = { entry: 0, edge: 0, tls: 0 };
  patch(t);
  return parseTopology(t);
}

/** Everything Docker still has with the stack's label. */
export async function leftovers(runtime: { docker: DockerRuntime['docker'] }, stack: string): Promise<string[]> {
  const filters = { label: [`${LABEL.stack}=${stack}`] };
  const [cs, nets, vols] = await Promise.all([
    runtime.docker.listContainers({ all: true, filters }),
    runtime.docker.listNetworks({ filters }),
    runtime.docker.listVolumes({ filters }),
  ]);
  return [
    ...cs.map((c) => `container ${c.Names[0]}`),
    ...nets.map((n) => `network ${n.Name}`),
    ...(vols.Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

export { requestLoop, type LoopResult } from './request-loop.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function getJson(
  url: string,
  init?: RequestInit,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the stack answers
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body };
}

/** A run of `workload` on the Lab's stack, to its end: its points after the first `skip` seconds
 *  (the load still ramping up), and a series summed over them. */
export async function runToEnd(lab: Lab, workload: Workload, skip = 3) {
  const started = await lab.api.load.start({ workload });
  await lab.runDone();
  const late = (await lab.api.runs.open({ id: started.id })).timeline.slice(skip);
  return { late, sum: (key: string) => late.reduce((n, p) => n + (p.v[key] ?? 0), 0) };
}

/** A client of one database node's PostgreSQL, connected, as the stack's own user (end() it). */
export async function dbClient(
  runtime: { stackSecrets(stack: string): Promise<{ dbPassword: string }> },
  stack: string,
  address: string,
): Promise<pg.Client> {
  const [host, port] = address.split(':');
  const { dbPassword } = await runtime.stackSecrets(stack);
  const client = new pg.Client({
    host,
    port: Number(port),
    user: 'scalelab',
    password: dbPassword,
    database: 'scalelab',
  });
  await client.connect();
  return client;
}
