// Starting the k6 generators of one run: one k6 process (or container) per execution segment.
// With several, each starts paused and all are resumed together through their REST APIs, as the
// k6 operator's starter does, so their seconds line up.
import type Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LabError } from '../runtime/errors.js';
import type { K6Location } from './k6-locator.js';
import { k6Args, runK6Container, spawnLocalK6, type K6Process } from './k6-process.js';
import { segmentArgs, type K6Segment } from './k6-segments.js';
import { runK6Service } from '../swarm/swarm-k6.js';

export interface GeneratorPlace {
  location: Exclude<K6Location, { kind: 'none' }>;
  script: string;
  container?: {
    docker: Docker;
    network: string;
    labels: Record<string, string>;
    /** On a Swarm: the generators one service's tasks, spread over the nodes. */
    swarm?: SwarmGenerators;
  };
}

export interface SwarmGenerators {
  stack: string;
  /** An image with sh and curl on this node (the base image): the starter. */
  starterImage: string;
  /** The k6 image pushed where every node pulls it; the name they pull. */
  shareImage(image: string): Promise<string>;
}

export interface StartedGenerator {
  segment: K6Segment;
  proc: K6Process;
  summaryFile: string;
  /** On a Swarm: the node the generator ran on. */
  node?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

/** Starts one generator per segment; if one cannot start, those already started are killed. */
export async function startGenerators(
  place: GeneratorPlace,
  segments: K6Segment[],
  work: string,
  env: Record<string, string>,
): Promise<StartedGenerator[]> {
  const paused = segments.length > 1 ? ['--paused'] : [];
  if (place.location.kind === 'image' && place.container?.swarm)
    return startOnSwarm(place.container.swarm, place, segments, work, env);
  // In a container, k6 sees the run folder and the script's folder through bind mounts.
  const inside = (p: string) => (place.container ? `/scalelab/${path.relative(work, p)}` : p);
  const started: StartedGenerator[] = [];
  try {
    for (const segment of segments) {
      const summaryFile = path.join(work, segments.length > 1 ? `summary-${segment.name}.json` : 'summary.json');
      const extra = [...segmentArgs(segment, segments.length), ...paused];
      let proc: K6Process;
      if (place.location.kind === 'image') {
        const c = place.container;
        if (!c) throw new LabError("k6 in a container needs the stack's network.", 'K6_FAILED');
        proc = await runK6Container(c.docker, {
          image: place.location.image,
          network: c.network,
          labels: segments.length > 1 ? { ...c.labels, 'scalelab.generator': segment.name } : c.labels,
          args: k6Args({
            restAddress: '0.0.0.0:6565',
            summaryFile: inside(summaryFile),
            env,
            extra,
            script: `/scripts/${path.basename(place.script)}`,
          }),
          mounts: [
            { host: work, container: '/scalelab', readOnly: false },
            { host: path.dirname(place.script), container: '/scripts', readOnly: true },
          ],
        });
      } else {
        const port = await freePort();
        proc = spawnLocalK6(
          place.location.path,
          k6Args({ restAddress: `127.0.0.1:${port}`, summaryFile, env, extra, script: place.script }),
          port,
        );
      }
      started.push({ segment, proc, summaryFile });
    }
  } catch (err) {
    for (const g of started) g.proc.kill();
    throw err;
  }
  return started;
}

/** The generators as one Swarm service: the script and workload travel as configs, k6's summary
 *  stays inside the task (the merged figures judge the thresholds). */
async function startOnSwarm(
  swarm: SwarmGenerators,
  place: GeneratorPlace,
  segments: K6Segment[],
  work: string,
  env: Record<string, string>,
): Promise<StartedGenerator[]> {
  const c = place.container!;
  const image = await swarm.shareImage((place.location as { image: string }).image);
  const script = path.basename(place.script);
  const files: Record<string, string> = { [script]: readFileSync(place.script, 'utf8') };
  const workload = path.join(work, 'workload.json');
  if (existsSync(workload)) files['workload.json'] = readFileSync(workload, 'utf8');
  const started = await runK6Service({
    docker: c.docker,
    stack: swarm.stack,
    image,
    starterImage: swarm.starterImage,
    network: c.network,
    segments,
    args: k6Args({
      restAddress: '0.0.0.0:6565',
      summaryFile: '/tmp/summary.json',
      env,
      extra: segments.length > 1 ? ['--paused'] : [],
    }),
    files,
    script,
  });
  return started.map((g) => ({ ...g, summaryFile: path.join(work, `summary-${g.segment.name}-on-swarm.json`) }));
}

const RESUME_TIMEOUT_MS = 20_000;

/** Waits until every paused generator's REST API answers, then resumes them all at once. */
export async function resumeTogether(generators: StartedGenerator[], signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + RESUME_TIMEOUT_MS;
  const exited = new Set<string>();
  for (const g of generators) {
    const mark = () => exited.add(g.segment.name);
    g.proc.exited.then(mark, mark);
  }
  for (const g of generators) {
    for (;;) {
      if (signal.aborted) return;
      if (exited.has(g.segment.name))
        throw new LabError(`k6 generator ${g.segment.name} ended before the test began.`, 'K6_FAILED');
      if (await g.proc.status()) break;
      if (Date.now() > deadline)
        throw new LabError(
          `k6 generator ${g.segment.name} did not answer on its REST API (${g.proc.restUrl}) within ${RESUME_TIMEOUT_MS / 1000} s.`,
          'K6_FAILED',
          'Try again with fewer generators, or a single one.',
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await Promise.all(generators.map((g) => patchStatus(g.proc, { paused: false })));
}

/** PATCH /v1/status with the given attributes; true when k6 took it. */
export function patchStatus(proc: K6Process, attributes: Record<string, unknown>): Promise<boolean> {
  return proc.status(attributes);
}
