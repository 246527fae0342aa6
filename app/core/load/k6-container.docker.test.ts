// k6 as a container on the stack's network, for real on Docker. The grafana/k6 image cannot be
// pulled here, so a local image runs the replay of a recorded real k6 run (testing/replay-k6.mjs)
// with k6's command line: the bind mounts, the network, the attached output, the REST port
// published on 127.0.0.1 and the exit code are all the real thing.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { LABEL } from '../runtime/names.js';
import { describeDocker, leftovers, testRuntime } from '../testing/docker-env.js';
import { K6Engine } from './k6-engine.js';
import { parseWorkload } from './workload-schema.js';
import { buildK6ReplayImage, K6_REPLAY_IMAGE as IMAGE } from '../testing/k6-replay-image.js';

const STACK = 't-k6';

describeDocker('k6 in a container on the stack network', () => {
  const runtime = testRuntime();
  const docker = runtime.docker;
  const labels = { [LABEL.stack]: STACK, [LABEL.role]: 'k6', [LABEL.service]: 'k6' };

  beforeAll(async () => {
    await buildK6ReplayImage(docker);
    await docker.createNetwork({ Name: `scalelab-${STACK}`, Labels: { [LABEL.stack]: STACK } });
  });
  afterAll(async () => {
    await runtime.down(STACK).catch(() => undefined);
    await docker
      .getImage(IMAGE)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('runs on the stack network, streams its output into windows, writes its summary through the mount, and leaves nothing behind', async () => {
    const engine = new K6Engine({
      location: { kind: 'image', image: IMAGE, version: null },
      script: path.join(resolveConfig().loadScriptsDir, 'k6', 'workload.js'),
      isWorkloadScript: true,
      container: { docker, network: `scalelab-${STACK}`, baseUrl: 'http://lb:80', edgeUrl: null, labels },
    });
    const workload = parseWorkload({
      name: 'w',
      mix: { 'cheap-read': 1 },
      rate: { kind: 'constant', rate: 10, durationSeconds: 5 },
    });
    let windows = 0;
    const res = await engine.run({
      workload,
      target: { baseUrl: 'http://127.0.0.1:8080' },
      onWindow: () => {
        windows++;
      },
    });
    expect(res.totals.completed).toBe(208);
    expect(windows).toBeGreaterThanOrEqual(5);
    // k6's own verdicts, read from the summary the container wrote into the bind mount.
    expect(res.thresholds.map((t) => t.metric).sort()).toEqual([
      'cache_hits',
      'http_req_duration{kind:read}',
      'http_req_failed',
    ]);
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL.stack}=${STACK}`] } });
    expect(left).toEqual([]);
    await runtime.down(STACK);
    expect(await leftovers(runtime, STACK)).toEqual([]);
  });

  it('splits one test over three containers by execution segments, resumed together, their streams merged', async () => {
    const engine = new K6Engine({
      location: { kind: 'image', image: IMAGE, version: null },
      script: path.join(resolveConfig().loadScriptsDir, 'k6', 'workload.js'),
      isWorkloadScript: true,
      container: { docker, network: `scalelab-${STACK}`, baseUrl: 'http://lb:80', edgeUrl: null, labels },
      generators: 3,
    });
    await docker.createNetwork({ Name: `scalelab-${STACK}`, Labels: { [LABEL.stack]: STACK } });
    const seen = new Set<string>();
    const res = await engine.run({
      workload: parseWorkload({
        name: 'w',
        mix: { 'cheap-read': 1 },
        rate: { kind: 'constant', rate: 10, durationSeconds: 5 },
      }),
      target: { baseUrl: 'http://127.0.0.1:8080' },
      onWindow: (w) => Object.keys(w.byGenerator ?? {}).forEach((g) => seen.add(g)),
    });
    // The recorded test, once, in three parts: 70, 69 and 69 of its 208 requests.
    expect(res.totals.completed).toBe(208);
    expect(res.generators?.map((g) => g.requests)).toEqual([70, 69, 69]);
    expect([...seen].sort()).toEqual(['k6-1', 'k6-2', 'k6-3']);
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL.stack}=${STACK}`] } })).toEqual([]);
    await runtime.down(STACK);
    expect(await leftovers(runtime, STACK)).toEqual([]);
  });
});
