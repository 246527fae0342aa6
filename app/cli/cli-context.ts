// What every command gets: the Lab's API and events (nothing else of the engine), and where to
// write. The Lab is made on first use, so `scalelab --help` loads no engine at all.
import type { LabApi, LabEvents } from '../contract/lab-api.js';

export interface Writer {
  write(chunk: string | Uint8Array): void;
  isTTY?: boolean;
}

export interface LabHandle {
  api: LabApi;
  on<K extends keyof LabEvents>(event: K, fn: (payload: LabEvents[K]) => void): () => void;
}

export interface CliContext {
  /** The Lab for the stack --stack names (made once, on first use). */
  lab(): Promise<LabHandle>;
  /** --stack as given, or undefined: `reap` reaches every stack only when none was named. */
  stackOption(): string | undefined;
  out: Writer;
  err: Writer;
  /** One line to stdout. */
  print(line?: string): void;
  /** Sets the process's exit code without throwing (status: not running; run: a threshold failed). */
  setExitCode(code: number): void;
}
