// One change of the stack's topology at a time: a second apply (a deploy, the autoscaler's
// rescale) while one runs is refused with what runs, instead of two convergences racing over the
// same containers. Within this process by a flag; across processes (the console and `scalelab` in
// a terminal) by a lock file naming the process that holds it, taken over when that process is gone.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../contract/errors.js';

interface Holder {
  pid: number;
  what: string;
  since: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const refused = (what: string, by: string) =>
  new LabError(
    `${what} is still being applied${by}: one change of the stack at a time`,
    'BAD_INPUT',
    'Wait for it to finish, then apply again.',
  );

export class ApplyLock {
  private running: string | null = null;

  /** `file`: the stack's lock file, shared by every ScaleLab process on this data folder. */
  constructor(private readonly file?: string) {}

  /** Runs `fn` as `what`; refused while another change runs, here or in another process. */
  async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) throw refused(this.running, '');
    this.claim(what);
    this.running = what;
    try {
      return await fn();
    } finally {
      this.running = null;
      this.release();
    }
  }

  private read(): Holder | null {
    try {
      return JSON.parse(readFileSync(this.file!, 'utf8')) as Holder;
    } catch {
      return null;
    }
  }

  private claim(what: string): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const mine = JSON.stringify({ pid: process.pid, what, since: Date.now() } satisfies Holder);
    try {
      writeFileSync(this.file, mine, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = this.read();
    if (held && held.pid !== process.pid && alive(held.pid))
      throw refused(held.what, ` by another ScaleLab process (pid ${held.pid})`);
    // Left by a process that is gone (killed mid-change): taken over.
    writeFileSync(this.file, mine);
  }

  private release(): void {
    if (this.file && this.read()?.pid === process.pid) rmSync(this.file, { force: true });
  }
}
