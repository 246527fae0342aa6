// A service's log lines as they come (stdout only), from Docker's log stream: what the edge's
// nginx says of each cacheable request. Follows whichever container holds the service, again
// after it is recreated; returns stop().
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { eachLine } from './lines.js';
import { serviceOf, type ContainerInfo } from './stack-observer.js';

type LogStream = NodeJS.ReadableStream & { destroy?: () => void };

const FOLLOW_EVERY_MS = 2000;

export function followLogs(
  docker: Docker,
  list: () => Promise<ContainerInfo[]>,
  service: string,
  onLine: (line: string) => void,
): () => void {
  let current: { id: string; stream: LogStream } | null = null;
  let stopped = false;
  const follow = async () => {
    const c = (await list().catch(() => [])).find((x) => serviceOf(x) === service && x.State === 'running');
    if (!c || current?.id === c.Id) return;
    current?.stream.destroy?.();
    current = null;
    const stream = (await docker
      .getContainer(c.Id)
      .logs({ follow: true, stdout: true, stderr: false, since: Math.floor(Date.now() / 1000), tail: 0 })
      .catch(() => null)) as LogStream | null;
    if (!stream) return;
    if (stopped) return stream.destroy?.();
    const mine = { id: c.Id, stream };
    current = mine;
    const out = new PassThrough();
    docker.modem.demuxStream(stream, out, new PassThrough());
    eachLine(out, onLine);
    const drop = () => {
      if (current === mine) current = null;
    };
    stream.on('end', drop);
    stream.on('error', drop);
  };
  void follow();
  const timer = setInterval(() => void follow(), FOLLOW_EVERY_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
    current?.stream.destroy?.();
  };
}
