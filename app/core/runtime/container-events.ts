// Docker's event stream for one stack's containers (by label), as Podman Desktop follows it:
// changes are pushed the moment the engine sees them, not found by polling. The stream is
// reopened if the engine closes it, a bounded number of times.
import type Docker from 'dockerode';
import { LABEL } from './names.js';

/** What happened to a container: Docker's own action names. */
export interface ContainerEvent {
  service: string;
  action: 'create' | 'start' | 'die' | 'kill' | 'stop' | 'pause' | 'unpause' | 'restart' | 'destroy' | 'health_status';
  /** die: the exit code; kill: the signal. */
  detail?: string;
  at: number;
}

const ACTIONS = ['create', 'start', 'die', 'kill', 'stop', 'pause', 'unpause', 'restart', 'destroy', 'health_status'];
const MAX_REOPENS = 20;

interface DockerEventJson {
  Type?: string;
  Action?: string;
  status?: string;
  time?: number;
  timeNano?: number;
  Actor?: { Attributes?: Record<string, string> };
}

/** Parses one line of Docker's /events stream; null for anything not about a stack container. */
export function toContainerEvent(e: DockerEventJson): ContainerEvent | null {
  const attrs = e.Actor?.Attributes ?? {};
  const service = attrs[LABEL.service];
  // health_status arrives as "health_status: healthy".
  const action = (e.Action ?? e.status ?? '').split(':')[0];
  if (e.Type !== 'container' || !service || !ACTIONS.includes(action)) return null;
  const detail = action === 'die' ? attrs.exitCode : action === 'kill' ? attrs.signal : undefined;
  const at = e.timeNano ? Math.round(e.timeNano / 1e6) : (e.time ?? 0) * 1000 || Date.now();
  return { service, action: action as ContainerEvent['action'], ...(detail ? { detail } : {}), at };
}

export function followContainerEvents(docker: Docker, stack: string, onEvent: (e: ContainerEvent) => void): () => void {
  let stopped = false;
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | null = null;
  let reopens = 0;
  const open = async () => {
    if (stopped || reopens++ > MAX_REOPENS) return;
    try {
      stream = (await docker.getEvents({
        filters: { type: ['container'], label: [`${LABEL.stack}=${stack}`] },
      })) as NodeJS.ReadableStream & { destroy?: () => void };
    } catch {
      setTimeout(() => void open(), 1000).unref();
      return;
    }
    if (stopped) return stream.destroy?.();
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        try {
          const e = toContainerEvent(JSON.parse(line) as DockerEventJson);
          if (e) onEvent(e);
        } catch {
          // not JSON: skipped
        }
      }
    });
    const again = () => {
      if (!stopped) setTimeout(() => void open(), 500).unref();
    };
    stream.on('end', again);
    stream.on('error', again);
  };
  void open();
  return () => {
    stopped = true;
    stream?.destroy?.();
  };
}
