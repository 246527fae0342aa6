// The dockerode client, and small helpers dockerode leaves to its users: a ping that explains
// itself, running a command in a container, and reading a container's multiplexed logs.
import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { DockerUnavailableError } from './errors.js';

export function createDocker(): Docker {
  return new Docker(); // honours DOCKER_HOST, else the local socket
}

/** Where this client looks for the engine, as the user would write it. */
export function dockerWhere(docker: Docker): string {
  const m = docker.modem as unknown as { socketPath?: string; host?: string; port?: number; protocol?: string };
  return m.socketPath ?? `${m.protocol ?? 'http'}://${m.host}:${m.port ?? ''}`;
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/** A failure to reach the engine at all, as the error that says how to start one; other errors as they are. */
export function asDockerError(docker: Docker, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  return e?.code && UNREACHABLE.has(e.code) ? new DockerUnavailableError(dockerWhere(docker), e.code) : (err as Error);
}

export async function pingDocker(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DockerUnavailableError(dockerWhere(docker), e.code ?? e.message);
  }
}

/** Splits Docker's multiplexed stdout/stderr frames (8-byte headers) into one text. */
export function demux(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    const size = buf.readUInt32BE(i + 4);
    if (type > 2 || buf[i + 1] !== 0) return buf.toString('utf8'); // not multiplexed (TTY)
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}

export async function containerLogs(container: Docker.Container, tail: number): Promise<string> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
    return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trimEnd();
  } catch {
    return '';
  }
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

/** Runs a command in a running container and waits for it (bounded by timeoutMs). */
export async function execIn(
  docker: Docker,
  container: Docker.Container,
  cmd: string[],
  timeoutMs = 10_000,
  env: string[] = [],
): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`${cmd.join(' ')} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('error', (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

export const isNotFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;
export const isConflict = (err: unknown) => (err as { statusCode?: number }).statusCode === 409;
