// The RunStore port: where runs live. file-run-store.ts keeps them as folders on disk.
import type { RunComparison, RunData, RunEvent, RunRecord, TimelinePoint } from '../../contract/runs.js';

export interface RunWriter {
  readonly id: string;
  readonly dir: string;
  appendPoint(p: TimelinePoint): void;
  appendEvent(e: RunEvent): void;
  /** Rewrites run.json (atomically) with these fields changed. */
  update(patch: Partial<RunRecord>): RunRecord;
  close(): void;
}

export interface RunStore {
  /** Checks the data directory is writable before anything starts; throws saying what to do. */
  checkWritable(): void;
  create(record: Omit<RunRecord, 'id' | 'pid' | 'createdAt'>): RunWriter;
  list(): RunRecord[];
  /** One run's record alone (run.json, not its timeline); null when there is no such run or it is unreadable. */
  record(id: string): RunRecord | null;
  /** strict: any damaged line or missing file is an error (reports), instead of being skipped (the console). */
  open(id: string, opts?: { strict?: boolean }): RunData;
  delete(id: string): void;
  compare(a: string, b: string): RunComparison;
}
