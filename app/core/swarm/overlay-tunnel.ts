// TCP from this host to services on a Swarm stack's overlay, wherever their tasks run: a container
// on this node, joined to the overlay, forwarding a loopback port to each target (Node's net, in
// the base image). For what needs a connection of its own rather than a psql per query (the
// resharding mover holds a transaction across each batch). It is no service of the stack: labelled
// apart, so the stack's status never lists it, and removed by down if a crash left it.
import type Docker from 'dockerode';
import { LabError } from '../../contract/errors.js';
import { containerLogs, isNotFound } from '../runtime/docker-client.js';
import { networkName } from '../runtime/names.js';

export const TUNNEL_LABEL = 'scalelab.tunnel';
const FIRST_PORT = 15432;
const READY = 'tunnel ready';

/** Each target a server on its own port; a connection piped both ways, closed with its peer. */
const FORWARD = `
const net = require('net');
const targets = JSON.parse(process.env.TUNNEL);
let listening = 0;
for (const t of targets)
  net.createServer((c) => {
    const u = net.connect(t.port, t.host);
    c.pipe(u).pipe(c);
    u.on('error', () => c.destroy());
    c.on('error', () => u.destroy());
  }).listen(t.listen, () => { if (++listening === targets.length) console.log('${READY}'); });
`;

export interface TunnelTarget {
  name: string;
  host: string;
  port: number;
}

export interface Tunnel {
  /** Target name → host:port on this host's loopback. */
  addresses: Record<string, string>;
  close(): Promise<void>;
}

const tunnelName = (stack: string) => `scalelab-${stack}-tunnel`;

export async function openTunnel(
  docker: Docker,
  stack: string,
  image: string,
  targets: TunnelTarget[],
  timeoutMs = 15_000,
): Promise<Tunnel> {
  await removeTunnels(docker, stack);
  const listen = targets.map((t, i) => ({ ...t, listen: FIRST_PORT + i }));
  const key = (t: { listen: number }) => `${t.listen}/tcp`;
  const container = await docker.createContainer({
    name: tunnelName(stack),
    Image: image,
    Entrypoint: ['node', '-e', FORWARD],
    Env: [`TUNNEL=${JSON.stringify(listen)}`],
    Labels: { [TUNNEL_LABEL]: stack },
    ExposedPorts: Object.fromEntries(listen.map((t) => [key(t), {}])),
    HostConfig: {
      NetworkMode: networkName(stack),
      PortBindings: Object.fromEntries(listen.map((t) => [key(t), [{ HostIp: '127.0.0.1', HostPort: '' }]])),
    },
  });
  const close = async () => {
    await container.remove({ force: true }).catch(() => undefined);
  };
  try {
    await container.start();
    const deadline = Date.now() + timeoutMs;
    while (!(await containerLogs(container, 5)).includes(READY)) {
      if (Date.now() > deadline)
        throw new LabError(
          `the tunnel to ${targets.map((t) => t.host).join(', ')} did not listen within ${timeoutMs / 1000} s`,
          'EXEC_FAILED',
          `Nothing moved and the API still uses the layout it had: apply the change again. If it fails again, check that the base image's Node runs here: docker run --rm ${image} node -v`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    const info = await container.inspect();
    const ports = info.NetworkSettings.Ports ?? {};
    const addresses = Object.fromEntries(
      listen.map((t) => [t.name, `127.0.0.1:${ports[key(t)]?.[0]?.HostPort ?? ''}`]),
    );
    return { addresses, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A stack's tunnels, gone (one a crashed apply left would keep the overlay from being removed). */
export async function removeTunnels(docker: Docker, stack: string): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`${TUNNEL_LABEL}=${stack}`] } });
  for (const c of left)
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
}
