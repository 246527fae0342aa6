// Runs as folders under <dataDir>/runs: run.json (rewritten atomically), timeline.ndjson and
// events.ndjson (appended as the run goes, one line per second, so a crash loses at most the
// last second). A "running" run whose process is gone is reported as aborted.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { RunComparison, RunData, RunEvent, RunRecord, TimelinePoint } from '../../contract/runs.js';
import { LabError } from '../runtime/errors.js';
import { compareRuns } from './compare-runs.js';
import type { RunStore, RunWriter } from './run-store.js';

const ID_RE = /^[0-9]{8}-[0-9]{6}-[a-z0-9-]{1,41}-[0-9a-f]{4}$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads NDJSON, skipping a last line cut short by a crash; strict (for reports) refuses any bad
 *  line or a missing file instead, so a damaged run never makes half a report. */
function readNdjson<T>(file: string, strict: boolean, id: string): T[] {
  const damaged = (what: string) =>
    new LabError(
      `Run ${id} is damaged: ${path.basename(file)} ${what}.`,
      'RUN_CORRUPT',
      'Its charts cannot be trusted, so no report was made. Record the run again, or open it in the console to see what is left.',
    );
  if (!existsSync(file)) {
    if (strict) throw damaged('is missing');
    return [];
  }
  const out: T[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      if (strict) throw damaged(`line ${i + 1} is cut short or not JSON`);
      /* a torn last line */
    }
  });
  return out;
}

export class FileRunStore implements RunStore {
  readonly root: string;

  /** samplesDirs: folders of runs shipped with the app, listed and opened read-only. */
  constructor(
    dataDir: string,
    private readonly samplesDirs: string[] = [],
    private readonly live = new Set<string>(),
  ) {
    this.root = path.join(dataDir, 'runs');
  }

  private isSample(dir: string): boolean {
    return path.dirname(dir) !== this.root;
  }

  checkWritable(): void {
    try {
      mkdirSync(this.root, { recursive: true });
      const probe = path.join(this.root, `.write-test-${process.pid}`);
      writeFileSync(probe, 'x'.repeat(64 * 1024));
      rmSync(probe);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new LabError(
        `Cannot write runs to ${this.root} (${code ?? (err as Error).message}).`,
        'DATA_DIR_UNWRITABLE',
        code === 'ENOSPC'
          ? 'The disk is full: free some space or point SCALELAB_HOME at another disk.'
          : 'Make it writable, or point SCALELAB_HOME at a folder you can write to.',
      );
    }
  }

  private dirOf(id: string): string {
    if (!ID_RE.test(id))
      throw new LabError(
        `"${id}" is not a run id`,
        'BAD_INPUT',
        'Run ids look like 20261124-013000-read-heavy-1a2b; `scalelab runs` lists them.',
      );
    const dir = [this.root, ...this.samplesDirs]
      .map((r) => path.join(r, id))
      .find((d) => existsSync(path.join(d, 'run.json')));
    if (!dir)
      throw new LabError(`No run ${id} in ${this.root}.`, 'NO_SUCH_RUN', '`scalelab runs` lists the runs there are.');
    return dir;
  }

  create(record: Omit<RunRecord, 'id' | 'pid' | 'createdAt'>): RunWriter {
    this.checkWritable();
    const createdAt = Date.now();
    const stamp = new Date(createdAt).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const id = `${stamp}-${record.workload.name}-${randomBytes(2).toString('hex')}`;
    const dir = path.join(this.root, id);
    mkdirSync(dir, { recursive: true });
    let current: RunRecord = { ...record, id, pid: process.pid, createdAt };
    const writeRecord = () => {
      writeFileSync(path.join(dir, 'run.json.tmp'), JSON.stringify(current, null, 2));
      renameSync(path.join(dir, 'run.json.tmp'), path.join(dir, 'run.json'));
    };
    writeRecord();
    const timeline = openSync(path.join(dir, 'timeline.ndjson'), 'a');
    const events = openSync(path.join(dir, 'events.ndjson'), 'a');
    this.live.add(id);
    let closed = false;
    return {
      id,
      dir,
      appendPoint: (p) => {
        writeSync(timeline, `${JSON.stringify(p)}\n`);
      },
      appendEvent: (e) => {
        writeSync(events, `${JSON.stringify(e)}\n`);
      },
      update: (patch) => {
        current = { ...current, ...patch };
        writeRecord();
        return current;
      },
      close: () => {
        if (closed) return;
        closed = true;
        closeSync(timeline);
        closeSync(events);
        this.live.delete(id);
      },
    };
  }

  private readRecord(dir: string): RunRecord {
    const run = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord;
    if (this.isSample(dir)) return { ...run, sample: true };
    if (run.status === 'running' && !this.live.has(run.id) && !(run.pid !== process.pid && pidAlive(run.pid))) {
      return {
        ...run,
        status: 'aborted',
        error: run.error ?? 'the run was cut short (its process ended before it did)',
      };
    }
    return run;
  }

  list(): RunRecord[] {
    const out: RunRecord[] = [];
    for (const root of [this.root, ...this.samplesDirs]) {
      if (!existsSync(root)) continue;
      for (const id of readdirSync(root)) {
        if (!ID_RE.test(id)) continue;
        try {
          out.push(this.readRecord(path.join(root, id)));
        } catch {
          /* a folder without a readable run.json is not a run */
        }
      }
    }
    return out.sort((a, b) => Number(!!a.sample) - Number(!!b.sample) || b.createdAt - a.createdAt);
  }

  record(id: string): RunRecord | null {
    try {
      return this.readRecord(this.dirOf(id));
    } catch {
      return null;
    }
  }

  open(id: string, opts: { strict?: boolean } = {}): RunData {
    const strict = opts.strict ?? false;
    const dir = this.dirOf(id);
    let run: RunRecord;
    try {
      run = this.readRecord(dir);
    } catch (err) {
      throw new LabError(`Run ${id} is damaged: run.json cannot be read (${(err as Error).message}).`, 'RUN_CORRUPT');
    }
    return {
      run,
      dir,
      timeline: readNdjson<TimelinePoint>(path.join(dir, 'timeline.ndjson'), strict, id),
      events: readNdjson<RunEvent>(path.join(dir, 'events.ndjson'), strict, id),
    };
  }

  delete(id: string): void {
    const dir = this.dirOf(id);
    if (this.live.has(id)) throw new LabError(`Run ${id} is still going.`, 'RUN_LIVE', 'Stop it first.');
    if (this.isSample(dir))
      throw new LabError(`Run ${id} ships with ScaleLab as a sample; it cannot be deleted.`, 'RUN_SAMPLE');
    rmSync(dir, { recursive: true, force: true });
  }

  compare(a: string, b: string): RunComparison {
    return compareRuns(this.open(a), this.open(b));
  }
}
