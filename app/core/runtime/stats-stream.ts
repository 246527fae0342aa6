// CPU and memory per container, from Docker's stats stream (one JSON line a second per
// container). Containers added while load runs (scaling up) get a stream of their own.
import type Docker from 'dockerode';
import type { ContainerStats } from '../../contract/stack.js';
import { toContainerStats, type DockerStatsJson } from './container-stats.js';
import { eachLine } from './lines.js';
import { serviceOf, type ContainerInfo } from './stack-observer.js';

type StatsStream = NodeJS.ReadableStream & { destroy?: () => void };

const FOLLOW_EVERY_MS = 2000;

/** Follows every running container `list()` returns; returns stop(). */
export function followStats(
  docker: Docker,
  list: () => Promise<ContainerInfo[]>,
  onSample: (s: ContainerStats) => void,
): () => void {
  const streams = new Map<string, StatsStream>();
  let stopped = false;
  const follow = async () => {
    const cs = (await list().catch(() => [])).filter((c) => c.State === 'running');
    for (const c of cs) {
      if (streams.has(c.Id)) continue;
      const stream = (await docker
        .getContainer(c.Id)
        .stats({ stream: true })
        .catch(() => null)) as StatsStream | null;
      if (!stream) continue;
      if (stopped) {
        stream.destroy?.();
        return;
      }
      streams.set(c.Id, stream);
      const service = serviceOf(c);
      eachLine(stream, (line) => {
        if (!line.trim()) return;
        try {
          onSample(toContainerStats(service, JSON.parse(line) as DockerStatsJson));
        } catch {
          // a partial sample: the next second brings a whole one
        }
      });
      const drop = () => streams.delete(c.Id);
      stream.on('end', drop);
      stream.on('error', drop);
    }
  };
  void follow();
  const timer = setInterval(() => void follow(), FOLLOW_EVERY_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
    for (const s of streams.values()) s.destroy?.();
    streams.clear();
  };
}
