// k6 as a Swarm service (swarm-k6-spec.ts): the script and workload made configs, the service
// made and waited for until every generator runs, each task's log followed as that generator's
// stdout, and its REST API reached from a starter container on the stack's overlay (the engine's
// host is not on it), as the k6 operator's starter pod reaches its runners. When every task has
// ended the service, its configs and the starter are removed.
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { execIn, isNotFound } from '../runtime/docker-client.js';
import { LabError } from '../runtime/errors.js';
import type { K6Process } from '../load/k6-process.js';
import type { K6Segment } from '../load/k6-segments.js';
import type { SwarmNodeInfo } from './swarm-check.js';
import { taskAddress, type SwarmTaskInfo } from './swarm-status.js';
import { generatorOfSlot, K6_DIR, K6_LABEL, k6ServiceName, k6ServiceSpec, taskExit } from './swarm-k6-spec.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough for every node to pull the k6 image. */
const START_TIMEOUT_MS = 120_000;
/** A task's log, once the task has ended, is given this long to reach its end. */
const LOG_DRAIN_MS = 5000;
const REST_PORT = 6565;

export interface K6ServiceOptions {
  docker: Docker;
  stack: string;
  /** The k6 image as every node pulls it (pushed to the stack's registry). */
  image: string;
  /** An image with sh and curl that runs on this node: the starter. */
  starterImage: string;
  network: string;
  segments: K6Segment[];
  /** k6's arguments up to the script (its REST API on 0.0.0.0:6565). */
  args: string[];
  /** Files the tasks read, by name under /scalelab: the script and the workload. */
  files: Record<string, string>;
  /** The script's name among the files. */
  script: string;
}

export interface K6ServiceGenerator {
  segment: K6Segment;
  proc: K6Process;
  /** The node the generator's task runs on. */
  node: string;
}

/** Starts the generators as one Swarm service; resolves once every task runs, in segment order. */
export async function runK6Service(o: K6ServiceOptions): Promise<K6ServiceGenerator[]> {
  const { docker, stack } = o;
  await removeK6Service(docker, stack);
  const labels = { [K6_LABEL]: stack };
  const configs = [];
  for (const [file, text] of Object.entries(o.files)) {
    const name = `${k6ServiceName(stack)}-${file.replace(/[^a-zA-Z0-9-]/g, '-')}-${digest(text)}`;
    const made = (await docker.createConfig({
      Name: name,
      Labels: labels,
      Data: Buffer.from(text).toString('base64'),
    })) as { id: string };
    configs.push({ path: `${K6_DIR}/${file}`, id: made.id, name });
  }
  const entrypoint = await imageEntrypoint(docker, o.image);
  const nodes = ((await docker.listNodes()) as SwarmNodeInfo[]).filter(
    (n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active',
  );
  const starter = await startStarter(o);
  try {
    await docker.createService(
      k6ServiceSpec({
        stack,
        image: o.image,
        entrypoint,
        args: o.args,
        segments: o.segments,
        network: o.network,
        configs,
        script: `${K6_DIR}/${o.script}`,
        nodes: nodes.length,
      }),
    );
    const tasks = await waitRunning(docker, stack, o.segments.length);
    const hostname = new Map(nodes.map((n) => [n.ID, n.Description?.Hostname ?? n.ID]));
    const generators = tasks.map((t) => ({
      segment: generatorOfSlot(o.segments, t.Slot)!,
      proc: taskProcess(docker, t, starter, o.network, k6ServiceName(stack)),
      node: hostname.get(t.NodeID ?? '') ?? t.NodeID ?? '?',
    }));
    // Once all have ended, nothing of the run is left on the Swarm.
    void Promise.allSettled(generators.map((g) => g.proc.exited))
      .then(() => removeK6Service(docker, stack))
      .catch(() => undefined);
    return generators.sort((a, b) => a.segment.name.localeCompare(b.segment.name, 'en', { numeric: true }));
  } catch (err) {
    await removeK6Service(docker, stack);
    throw err;
  }
}

/** Removes a run's k6 service, its configs and its starter (leftovers of a run cut short too). */
export async function removeK6Service(docker: Docker, stack: string): Promise<void> {
  const filter = { label: [`${K6_LABEL}=${stack}`] };
  const ignoreGone = (e: unknown) => {
    if (!isNotFound(e)) throw e;
  };
  for (const s of await docker.listServices({ filters: filter }))
    await docker.getService(s.ID).remove().catch(ignoreGone);
  for (const c of await docker.listContainers({ all: true, filters: filter }))
    if (!c.Labels?.['com.docker.swarm.task.id'])
      await docker.getContainer(c.Id).remove({ force: true }).catch(ignoreGone);
  // A config goes once no task holds it: the removed service's tasks stop within their grace.
  const deadline = Date.now() + 20_000;
  for (const c of (await docker.listConfigs({ filters: filter })) as Array<{ ID: string }>) {
    for (;;) {
      const gone = await docker
        .getConfig(c.ID)
        .remove()
        .then(
          () => true,
          (e: unknown) => isNotFound(e) || Date.now() > deadline,
        );
      if (gone) break;
      await sleep(500);
    }
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

async function imageEntrypoint(docker: Docker, image: string): Promise<string[]> {
  const info = (await docker.getImage(image).inspect()) as { Config?: { Entrypoint?: string[] | null } };
  const entry = info.Config?.Entrypoint;
  if (!entry?.length)
    throw new LabError(
      `The k6 image ${image} has no entrypoint to run k6 with.`,
      'K6_FAILED',
      'Use grafana/k6 or an image built from it.',
    );
  return entry;
}

/** The starter: a container on the overlay on this node, from which curl reaches each task. */
async function startStarter(o: K6ServiceOptions): Promise<Docker.Container> {
  const container = await o.docker.createContainer({
    Image: o.starterImage,
    // Bounded: removed with the service, or gone by itself after a day at most.
    Cmd: ['sleep', '86400'],
    Labels: { [K6_LABEL]: o.stack },
    HostConfig: { NetworkMode: o.network, AutoRemove: true, Init: true },
  });
  await container.start();
  return container;
}

/** Until every task of the service runs (or one cannot), in slot order. */
async function waitRunning(docker: Docker, stack: string, replicas: number): Promise<SwarmTaskInfo[]> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const tasks = (await docker.listTasks({ filters: { service: [k6ServiceName(stack)] } })) as SwarmTaskInfo[];
    const ended = tasks.map((t) => ({ t, exit: taskExit(t) })).find((x) => x.exit);
    if (ended)
      throw new LabError(
        `k6 generator k6-${ended.t.Slot} could not start on the Swarm: ${ended.exit!.why ?? `exit ${ended.exit!.code}`}.`,
        'K6_FAILED',
        'Check that every node can pull the k6 image (the registry) and that the image has /bin/sh.',
      );
    const running = tasks.filter((t) => t.Status?.State === 'running');
    if (running.length === replicas) return running.sort((a, b) => (a.Slot ?? 0) - (b.Slot ?? 0));
    if (Date.now() > deadline) {
      const states = tasks.map((t) => `k6-${t.Slot}: ${t.Status?.Err ?? t.Status?.State}`).join(', ');
      throw new LabError(
        `The k6 generators did not all start on the Swarm within ${START_TIMEOUT_MS / 1000} s (${states}).`,
        'K6_FAILED',
        'A node may lack room or the image: see `docker service ps` for the k6 service.',
      );
    }
    await sleep(300);
  }
}

interface TaskLogs {
  logs(o: { follow: true; stdout: boolean; stderr: boolean }): Promise<NodeJS.ReadableStream>;
}

/** One task as a k6 process: its log as stdout and stderr, its end from Swarm's task state. */
function taskProcess(
  docker: Docker,
  task: SwarmTaskInfo,
  starter: Docker.Container,
  network: string,
  service: string,
): K6Process {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let logEnded: () => void = () => undefined;
  const logDone = new Promise<void>((r) => (logEnded = r));
  // Both streams end only once the task has (below): what Swarm says of a failed task is written
  // after its log, and nothing is written to a stream that has ended.
  const held: { log?: { destroy?: () => void } } = {};
  // dockerode has the endpoint (GET /tasks/{id}/logs) but its types do not.
  const logs = (docker.getTask(task.ID!) as unknown as TaskLogs).logs({ follow: true, stdout: true, stderr: true });
  void logs.then(
    (stream) => {
      held.log = stream as { destroy?: () => void };
      docker.modem.demuxStream(stream, stdout, stderr);
      stream.on('end', logEnded);
      stream.on('error', logEnded);
    },
    (err: Error) => {
      stderr.write(`(the task's log could not be read: ${err.message})\n`);
      logEnded();
    },
  );
  const restUrl = `http://${taskAddress(task, network)}:${REST_PORT}`;
  const exited = (async () => {
    for (;;) {
      const t = (await docker
        .getTask(task.ID!)
        .inspect()
        .catch(() => ({ Status: { State: 'remove' } }))) as SwarmTaskInfo;
      const exit = taskExit(t);
      if (exit) {
        await Promise.race([logDone, sleep(LOG_DRAIN_MS)]);
        held.log?.destroy?.();
        if (exit.why && exit.code !== 0) stderr.write(`${exit.why}\n`);
        stdout.end();
        stderr.end();
        return exit.code;
      }
      await sleep(500);
    }
  })();
  return {
    stdout,
    stderr,
    restUrl,
    exited,
    status: (attributes) => curlStatus(docker, starter, restUrl, attributes),
    // A task cannot be signalled on its own: its service goes, every generator with it (a kill
    // is asked for when k6's REST API did not take a stop, so the run is ending anyway).
    kill: () => {
      void docker
        .getService(service)
        .remove()
        .catch(() => undefined);
    },
  };
}

/** GET (no attributes) or PATCH a task's /v1/status with curl in the starter; true when k6 took it. */
async function curlStatus(
  docker: Docker,
  starter: Docker.Container,
  restUrl: string,
  attributes?: Record<string, unknown>,
): Promise<boolean> {
  const body = JSON.stringify({ data: { type: 'status', id: 'default', attributes } });
  const patch = attributes ? ['-X', 'PATCH', '-H', 'content-type: application/json', '-d', body] : [];
  const curl = ['curl', '-sf', '-o', '/dev/null', '-m', '3', ...patch, `${restUrl}/v1/status`];
  return execIn(docker, starter, curl, 5000).then(
    (r) => r.exitCode === 0,
    () => false,
  );
}
