// How k6 is started: as a local binary, or as the grafana/k6 image joined to the stack's network.
// Both give the engine the same thing: stdout and stderr streams, an exit code, a kill.
import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';

export interface K6Process {
  stdout: Readable;
  stderr: Readable;
  exited: Promise<number>;
  kill(): void;
  /** Where k6's REST API answers (named in errors). */
  restUrl: string;
  /** GET /v1/status (no attributes: does it answer?) or PATCH it; true when k6 took it. */
  status(attributes?: Record<string, unknown>): Promise<boolean>;
}

/** k6's REST API reached over HTTP from this host (a local k6, or a container's published port). */
export function restStatus(restUrl: string): K6Process['status'] {
  return (attributes) =>
    fetch(`${restUrl}/v1/status`, {
      ...(attributes
        ? {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ data: { type: 'status', id: 'default', attributes } }),
          }
        : {}),
      signal: AbortSignal.timeout(attributes ? 3000 : 1000),
    }).then(
      (r) => r.ok,
      () => false,
    );
}

/** Arguments shared by both ways: JSON on stdout, the summary export, the REST API, the script's env. */
export function k6Args(o: {
  restAddress: string;
  summaryFile: string;
  env: Record<string, string>;
  /** More flags before the script: an execution segment, --paused. */
  extra?: string[];
  /** Left out where the script is added later (a Swarm task adds its segment, then the script). */
  script?: string;
}): string[] {
  return [
    'run',
    '-q',
    '--out',
    'json=-',
    '--summary-export',
    o.summaryFile,
    '--address',
    o.restAddress,
    ...Object.entries(o.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(o.extra ?? []),
    ...(o.script ? [o.script] : []),
  ];
}

export function spawnLocalK6(binary: string, args: string[], restPort: number): K6Process {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    stdout: child.stdout!,
    stderr: child.stderr!,
    restUrl: `http://127.0.0.1:${restPort}`,
    status: restStatus(`http://127.0.0.1:${restPort}`),
    exited: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    }),
    kill: () => {
      child.kill('SIGINT');
    },
  };
}

/** The grafana/k6 image on the stack's network: it reaches services by name (http://lb:80), reads
 *  the workload and scripts from bind mounts, and publishes its REST API on 127.0.0.1 only. */
export async function runK6Container(
  docker: Docker,
  o: {
    image: string;
    network: string;
    args: string[];
    mounts: Array<{ host: string; container: string; readOnly: boolean }>;
    labels: Record<string, string>;
  },
): Promise<K6Process> {
  for (const m of o.mounts) if (!m.readOnly) chmodSync(m.host, 0o777); // the image runs as uid 12345
  const container = await docker.createContainer({
    Image: o.image,
    Cmd: o.args,
    Labels: o.labels,
    ExposedPorts: { '6565/tcp': {} },
    HostConfig: {
      NetworkMode: o.network,
      AutoRemove: false,
      Binds: o.mounts.map((m) => `${m.host}:${m.container}${m.readOnly ? ':ro' : ''}`),
      PortBindings: { '6565/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
    },
  });
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  stream.on('end', () => {
    stdout.end();
    stderr.end();
  });
  await container.start();
  const info = await container.inspect();
  const port = info.NetworkSettings.Ports?.['6565/tcp']?.[0]?.HostPort;
  return {
    stdout,
    stderr,
    restUrl: `http://127.0.0.1:${port}`,
    status: restStatus(`http://127.0.0.1:${port}`),
    exited: container.wait().then(async (r: { StatusCode: number }) => {
      await container.remove({ force: true }).catch(() => undefined);
      return r.StatusCode;
    }),
    kill: () => {
      void container.kill({ signal: 'SIGINT' }).catch(() => undefined);
    },
  };
}
