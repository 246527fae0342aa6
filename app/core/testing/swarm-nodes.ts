// More Swarm nodes on one machine, for the multi-node tests: each a Docker engine in a container
// with the capabilities an engine needs (scalelab/swarm-node from Debian's docker.io, built by
// stack/swarm-node/build-offline.sh) on the default bridge, joined to this engine's Swarm as a
// worker. The manager must advertise an
// address the containers reach (.ci/run advertises on docker0) and each node trusts the
// manager's registry over plain HTTP, as a real node would be configured to.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type Docker from 'dockerode';
import { execIn } from '../runtime/docker-client.js';

const NODE_LABEL = 'scalelab.test-node';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TestNodes {
  /** The nodes' hostnames, as Swarm lists them. */
  hostnames: string[];
  /** Kills one node's engine container: its tasks die with it, as when a machine fails. */
  kill(hostname: string): Promise<void>;
  /** Runs a command on one node (in its engine's container: `docker ...` asks that node's engine). */
  exec(hostname: string, cmd: string[]): Promise<string>;
  /** Removes the containers and their engines' data, and the nodes from the Swarm. */
  remove(): Promise<void>;
}

/** The node image's tag, built offline when missing (a minute or two with mmdebstrap). */
export function ensureNodeImage(stackDir: string): string {
  const script = path.join(stackDir, 'swarm-node', 'build-offline.sh');
  execFileSync('bash', [script], { stdio: 'inherit' });
  return execFileSync('bash', [script, '--print-tag'], { encoding: 'utf8' }).trim();
}

/** Starts `count` node containers and joins each to the Swarm this engine manages. */
export async function joinTestNodes(
  docker: Docker,
  opts: { count: number; image: string; registry: string; prefix: string },
): Promise<TestNodes> {
  const info = (await docker.info()) as { Swarm: { NodeAddr: string } };
  const swarm = (await docker.swarmInspect()) as { JoinTokens: { Worker: string } };
  const hostnames = Array.from({ length: opts.count }, (_, i) => `${opts.prefix}-${i + 2}`);
  const containers: Docker.Container[] = [];
  const remove = async () => {
    for (const c of containers) await c.remove({ force: true, v: true }).catch(() => undefined);
    // The manager forgets a node only once it is gone.
    for (const n of (await docker.listNodes()) as Array<{ ID: string; Description?: { Hostname?: string } }>)
      if (hostnames.includes(n.Description?.Hostname ?? ''))
        await docker
          .getNode(n.ID)
          .remove({ force: true })
          .catch(() => undefined);
  };
  try {
    for (const hostname of hostnames) {
      const c = await docker.createContainer({
        name: hostname,
        Hostname: hostname,
        Image: opts.image,
        Env: [`NODE_INSECURE_REGISTRY=${opts.registry}`],
        Labels: { [NODE_LABEL]: opts.prefix },
        // What --privileged gives an engine in a container, spelled out: some sandboxes (this
        // project's CI among them) withhold CAP_SYS_RESOURCE, and --privileged asks for every cap.
        HostConfig: {
          CapAdd: ['ALL'],
          CapDrop: ['SYS_RESOURCE'],
          SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
          DeviceCgroupRules: ['a *:* rwm'],
          Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
        },
      });
      containers.push(c);
      await c.start();
    }
    await Promise.all(
      containers.map(async (c) => {
        const deadline = Date.now() + 60_000;
        while ((await execIn(docker, c, ['docker', 'info'], 5000).catch(() => null))?.exitCode !== 0) {
          if (Date.now() > deadline) throw new Error(`the engine in ${(await c.inspect()).Name} never answered`);
          await sleep(500);
        }
        const ip = (await c.inspect()).NetworkSettings.Networks.bridge.IPAddress;
        const join = await execIn(
          docker,
          c,
          [
            'docker',
            'swarm',
            'join',
            '--token',
            swarm.JoinTokens.Worker,
            '--advertise-addr',
            ip,
            `${info.Swarm.NodeAddr}:2377`,
          ],
          60_000,
        );
        if (join.exitCode !== 0) throw new Error(`joining the Swarm failed: ${join.output.trim()}`);
      }),
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const nodes = (await docker.listNodes()) as Array<{
        Description?: { Hostname?: string };
        Status?: { State?: string };
      }>;
      const ready = nodes.filter(
        (n) => hostnames.includes(n.Description?.Hostname ?? '') && n.Status?.State === 'ready',
      );
      if (ready.length === hostnames.length) break;
      if (Date.now() > deadline) throw new Error(`nodes not ready after 60 s: ${ready.length} of ${hostnames.length}`);
      await sleep(500);
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return {
    hostnames,
    kill: async (hostname) => {
      const c = containers[hostnames.indexOf(hostname)];
      await c.kill();
    },
    exec: async (hostname, cmd) => (await execIn(docker, containers[hostnames.indexOf(hostname)], cmd, 10_000)).output,
    remove,
  };
}

/** Node containers an interrupted test run left behind (global setup removes them first). */
export async function removeLeftoverNodes(docker: Docker): Promise<void> {
  for (const c of await docker.listContainers({ all: true, filters: { label: [NODE_LABEL] } })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
  for (const n of (await docker.listNodes().catch(() => [])) as Array<{ ID: string; Status?: { State?: string } }>)
    if (n.Status?.State === 'down')
      await docker
        .getNode(n.ID)
        .remove({ force: true })
        .catch(() => undefined);
}

/** Sets (or removes) a node label on this engine's own node: `label=true`, as a placement target. */
export async function labelThisNode(docker: Docker, label: string, on: boolean): Promise<void> {
  await labelNode(docker, ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID, label, on);
}

/** Sets (or removes) a node label on the node with this ID or hostname. */
export async function labelNode(docker: Docker, idOrHostname: string, label: string, on: boolean): Promise<void> {
  const listed = (await docker.listNodes()) as Array<{ ID: string; Description?: { Hostname?: string } }>;
  const id = listed.find((n) => n.ID === idOrHostname || n.Description?.Hostname === idOrHostname)?.ID ?? idOrHostname;
  const node = docker.getNode(id);
  const info = (await node.inspect()) as { Version: { Index: number }; Spec: { Labels?: Record<string, string> } };
  const labels = { ...info.Spec.Labels };
  if (on) labels[label] = 'true';
  else delete labels[label];
  await node.update({ ...info.Spec, Labels: labels, version: info.Version.Index });
}
