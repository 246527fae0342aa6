// Vertical scaling on a real engine: an API instance runs one worker per CPU its container may
// use (Node's cluster module, the CPU limit read from its cgroup), so raising api.cpus live
// raises the most it can serve of CPU-bound work (GET /hash: PBKDF2), measured closed-loop. And
// stage 1 as one server: the instance and the database pinned to the same core (cpuset), live.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parsePrometheus, sumBy } from '../metrics/prometheus-text.js';
import { describeDocker, sleep, testRuntime, testTopology } from '../testing/docker-env.js';
import type { DockerRuntime } from './docker-runtime.js';
import { containerName } from './names.js';

const STACK = 't-vertical';

/** 16 clients asking for hashes back to back for `ms`, from a process of their own (this one also
 *  runs the engine, and was itself the limit at 2 CPUs): answers per second, and workers seen. */
function maxRate(url: string, ms = 4000): { perSecond: number; ok: number; workers: number } {
  const client = fileURLToPath(new URL('../testing/hash-client.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [client, url, String(ms / 1000), '16'], { encoding: 'utf8' });
  const r = JSON.parse(out) as { perSecond: number; workers: number };
  return { ...r, ok: Math.round(r.perSecond * (ms / 1000)) };
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
    maxRate(entry, 1000); // warm: the first hashes pay for the JIT
    const half = maxRate(entry);
    expect(half.workers).toBe(1);
    const applied = await runtime.apply(STACK, (t) => ({ ...t, api: { ...t.api, cpus: 2 } }));
    expect(applied.changes.map((c) => [c.field, c.kind])).toEqual([['api.cpus', 'live']]);
    // The primary reads its cgroup's quota every 2 s and forks a worker for the new CPU.
    let two = maxRate(entry, 1000);
    for (let i = 0; i < 20 && two.workers < 2; i++) {
      await sleep(500);
      two = maxRate(entry, 1000);
    }
    expect(two.workers).toBe(2);
    two = maxRate(entry);
    console.log(`GET /hash: ${half.perSecond}/s at 0.5 CPU, ${two.perSecond}/s at 2 CPUs (${two.workers} workers)`);
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
