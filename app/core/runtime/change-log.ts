// The stack's own log of changes made to it: every switch (apply) and fault, whoever made it (the
// console, `scalelab` in another terminal), appended as one JSON line each to
// <data>/stacks/<stack>.changes.ndjson. A run follows it, so a fault injected from a second
// terminal lands in the run's event log like one made from the console.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface StackChange {
  t: number;
  kind: 'switch' | 'fault' | 'deploy';
  label: string;
  /** For a switch: the TopologyChange; for a fault: { service, kind }; for a deploy: its DeployMarker. */
  detail?: unknown;
  /** The process that made it: a follower skips its own. */
  pid: number;
  /** Services the change touches: their container events are its, not faults. */
  services: string[];
}

const POLL_MS = 500;

export class ChangeLog {
  constructor(private readonly dataDir: string) {}

  file(stack: string): string {
    return path.join(this.dataDir, 'stacks', `${stack}.changes.ndjson`);
  }

  append(stack: string, change: Omit<StackChange, 'pid' | 't'> & { t?: number }): void {
    const file = this.file(stack);
    mkdirSync(path.dirname(file), { recursive: true });
    // One write per line (O_APPEND): lines from several processes never interleave.
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), ...change, pid: process.pid })}\n`);
  }

  /** Forgets the stack's changes (it was taken down): the log never outlives its stack. */
  remove(stack: string): void {
    rmSync(this.file(stack), { force: true });
  }

  /** Calls `onChange` for every line appended from now on; returns stop(). */
  follow(stack: string, onChange: (c: StackChange) => void): () => void {
    const file = this.file(stack);
    let offset = existsSync(file) ? statSync(file).size : 0;
    let rest = '';
    const poll = () => {
      if (!existsSync(file)) return;
      const size = statSync(file).size;
      if (size < offset) offset = 0; // replaced: read from the start
      if (size === offset) return;
      const fd = openSync(file, 'r');
      try {
        const buf = Buffer.alloc(size - offset);
        readSync(fd, buf, 0, buf.length, offset);
        offset = size;
        const lines = (rest + buf.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          try {
            if (line.trim()) onChange(JSON.parse(line) as StackChange);
          } catch {
            // a damaged line is skipped
          }
        }
      } finally {
        closeSync(fd);
      }
    };
    const timer = setInterval(poll, POLL_MS);
    return () => {
      clearInterval(timer);
      poll();
    };
  }
}
