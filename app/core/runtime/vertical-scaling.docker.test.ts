// Vertical scaling on a real engine: an API instance runs one worker per CPU its container may
// use (Node's cluster module, the CPU limit read from its cgroup), so raising api.cpus live
// raises the most it can serve of CPU-bound work (GET /hash: PBKDF2), measured closed-loop. And
// stage 1 as one server: the instance and the database pinned to the same core (cpuset), live.
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parsePrometheus, sumBy } from '../metrics/prometheus-text.js';
import { describeDocker, sleep, testRuntime, testTopology } from '../testing/docker-env.js';
import type { DockerRuntime } from './docker-runtime.js';
import { containerName } from './names.js';

const STACK = 't-vertical';

/** `concurrency` clients asking for hashes back to back for `ms`: answers per second, and the
 *  workers that answered. */
async function maxRate(url: string, ms = 4000, concurrency = 8) {
  const until = Date.now() + ms;
  let ok = 0;
  const workers = new Set<string>();
  const client = async () => {
    while (Date.now() < until) {
      const res = await fetch(`${url}/hash?iterations=20000`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status === 200) ok++;
      workers.add(res.headers.get('x-worker') ?? '?');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { perSecond: ok / (ms / 1000), ok, workers };
}

describeDocker('vertical scaling: an instance uses the CPUs it is given', () => {
  let runtime: DockerRuntime;
  let entry: string;

  beforeAll(async () => {
    runtime = testRuntime();
    const st = await runtime.up(
      STACK,
      testTopology('single-server', (t) => {
        t.api.cpus = 0.5;
        // Stage 1 pins the instance and the database to one core: here the instance may use both.
        t.database.sharesApiCores = false;
      }),
    );
    entry = st.entryUrl!;
  }, 180_000);
  afterAll(async () => {
    await runtime?.down(STACK).catch(() => undefined);
  });

  it('api.cpus 0.5 → 2, live: a second worker starts and the CPU-bound rate rises at least 1.6x', async () => {
    await maxRate(entry, 1000); // warm: the first hashes pay for the JIT
    const half = await maxRate(entry);
    expect(half.workers).toEqual(new Set(['1']));
    const applied = await runtime.apply(STACK, (t) => ({ ...t, api: { ...t.api, cpus: 2 } }));
    expect(applied.changes.map((c) => [c.field, c.kind])).toEqual([['api.cpus', 'live']]);
    // The primary reads its cgroup's quota every 2 s and forks a worker for the new CPU.
    let two = await maxRate(entry, 1000);
    for (let i = 0; i < 20 && two.workers.size < 2; i++) {
      await sleep(500);
      two = await maxRate(entry, 1000);
    }
    expect(two.workers.size).toBe(2);
    two = await maxRate(entry);
    console.log(
      `GET /hash: ${half.perSecond}/s at 0.5 CPU, ${two.perSecond}/s at 2 CPUs (${two.workers.size} workers)`,
    );
    expect(two.perSecond).toBeGreaterThanOrEqual(1.6 * half.perSecond);

    // /metrics is the instance's: the workers' counters summed by the primary.
    const text = await (await fetch(`${entry}/metrics`)).text();
    const served = sumBy(parsePrometheus(text), 'scalelab_http_requests_total', 'route').get('cpu') ?? 0;
    expect(served).toBeGreaterThanOrEqual(half.ok + two.ok);
  }, 120_000);

  it('stage 1 as one server: the instance and the database pinned to one core, live, and apart again', async () => {
    const cpuset = async (service: string) =>
      (await runtime.docker.getContainer(containerName(STACK, service)).inspect()).HostConfig.CpusetCpus;
    const shared = await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, sharesApiCores: true } }));
    expect(shared.changes.map((c) => [c.field, c.kind])).toEqual([['database.sharesApiCores', 'live']]);
    expect([await cpuset('api-1'), await cpuset('db-primary')]).toEqual(['0', '0']);
    expect((await fetch(`${entry}/products/1`)).status).toBe(200);
    await runtime.apply(STACK, (t) => ({ ...t, database: { ...t.database, sharesApiCores: false } }));
    const all = `0-${os.availableParallelism() - 1}`;
    expect([await cpuset('api-1'), await cpuset('db-primary')]).toEqual([all, all]);
  }, 60_000);
});
