// npm run bench:stack: how fast the full preset comes up, how fast switches show, how fast a
// replica serves, how fast it goes away. Beside it, the floor the Docker engine itself sets on
// this machine: creating, starting and removing as many idle containers, measured in the same run.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareApiBundle, resolveConfig } from '../app/core/config.js';
import { DockerRuntime } from '../app/core/runtime/docker-runtime.js';
import { baseImageTag } from '../app/core/runtime/images.js';
import { getPreset } from '../app/core/topology/presets.js';
import type { Topology } from '../app/core/topology/schema.js';

const STACK = 'bench';
const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-bench-')) });
const runtime = new DockerRuntime({ ...config, prepareApiBundle: () => prepareApiBundle(config.stackDir) });
const now = () => performance.now();
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Polls a URL until the response satisfies `ok` (bounded), returning when it first did. */
async function until(url: string, ok: (h: Headers) => boolean, maxMs = 30_000): Promise<number> {
  const end = Date.now() + maxMs;
  for (let i = 1; Date.now() < end; i++) {
    const res = await fetch(`${url}/products/${1 + (i % 5000)}`).catch(() => null);
    if (res) {
      await res.arrayBuffer();
      if (ok(res.headers)) return now();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`condition not met within ${maxMs} ms at ${url}`);
}

async function dockerFloor(n: number): Promise<{ start: number; remove: number }> {
  const docker = runtime.docker;
  const t0 = now();
  const cs = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      docker.createContainer({
        name: `scalelab-bench-floor-${i}`,
        Image: baseImageTag(config.stackDir),
        Cmd: ['sleep', '60'],
        Labels: { 'scalelab.bench': '1' },
      }),
    ),
  );
  await Promise.all(cs.map((c) => c.start()));
  const t1 = now();
  await Promise.all(cs.map((c) => c.remove({ force: true })));
  return { start: t1 - t0, remove: now() - t1 };
}

async function main(): Promise<void> {
  await runtime.ping();
  await runtime.down(STACK);
  let t: Topology = structuredClone(getPreset('full').topology);
  t.ports = { entry: 0, edge: 0, tls: 0 };
  t.rateLimit.enabled = false;
  process.stdout.write('building images if missing... ');
  await runtime.prepareImages(t);
  console.log('done');

  const t0 = now();
  const st = await runtime.up(STACK, t);
  const upMs = now() - t0;
  const entry = st.entryUrl!;

  const apply = async (patch: (x: Topology) => void) => {
    t = structuredClone(t);
    patch(t);
    return runtime.apply(STACK, t);
  };
  /** Applies a change while a client polls; returns when the client first saw it, and when apply returned. */
  const timed = async (patch: (x: Topology) => void, seen: (h: Headers) => boolean) => {
    const start = now();
    const [visibleAt, appliedAt] = await Promise.all([until(entry, seen), apply(patch).then(() => now())]);
    return { visible: visibleAt - start, applied: appliedAt - start };
  };
  const off = await timed(
    (x) => {
      x.cache.enabled = false;
    },
    (h) => h.get('x-cache') === 'BYPASS',
  );
  const on = await timed(
    (x) => {
      x.cache.enabled = true;
    },
    (h) => h.get('x-cache') !== 'BYPASS',
  );
  const strategy = await timed(
    (x) => {
      x.cache.strategy = 'write-through';
      x.cache.ttlSeconds = 30;
      x.database.readFromReplicas = false;
    },
    (h) => h.get('x-db-node') === 'primary',
  );
  await apply((x) => {
    x.cache.enabled = false;
    x.database.readFromReplicas = true;
  });
  const replica = await timed(
    (x) => {
      x.database.replicas = 3;
    },
    (h) => h.get('x-db-node') === 'db-replica-3',
  );
  const s4 = now();
  await runtime.down(STACK);
  const downMs = now() - s4;

  const floor = await dockerFloor(st.services.length);

  console.log(`\nfull preset (${st.services.length} services), ${os.cpus().length} cores\n`);
  const rows: Array<[string, string, string, string]> = [
    [
      'all services healthy (up)',
      secs(upMs),
      '< 15 s',
      `docker floor: create+start ${st.services.length} idle containers ${secs(floor.start)}`,
    ],
    [
      'switch: read routing -> primary, visible',
      secs(strategy.visible),
      '< 1 s',
      `apply returned after ${secs(strategy.applied)}`,
    ],
    ['switch: cache off, visible', secs(off.visible), '< 1 s', `apply returned after ${secs(off.applied)}`],
    ['switch: cache on (Redis starts), visible', secs(on.visible), '*', `apply returned after ${secs(on.applied)}`],
    [
      'replica added until it serves reads',
      secs(replica.visible),
      '< 10 s',
      `apply returned after ${secs(replica.applied)}`,
    ],
    ['down', secs(downMs), '', `docker floor: remove ${st.services.length} containers ${secs(floor.remove)}`],
  ];
  for (const r of [['measure', 'ScaleLab', 'target', 'reference / detail'], ...rows])
    console.log(`${r[0].padEnd(42)} ${r[1].padEnd(9)} ${r[2].padEnd(8)} ${r[3]}`);
  console.log(
    '\n* "cache on" creates and starts a Redis container before the switch; the other switches change running services only.',
  );
}

main().catch(async (err) => {
  console.error(err);
  await runtime.down(STACK).catch(() => undefined);
  process.exit(1);
});
