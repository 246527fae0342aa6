// The topology a stack currently runs, kept in the data directory so that `apply` knows what
// it changes from. When the file is missing (another data directory, a wiped home), the
// runtime rebuilds it from the running containers (see DockerRuntime.currentTopology).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Topology } from '../topology/schema.js';
import { parseTopology } from '../topology/schema.js';

export class StackStateFile {
  constructor(private readonly dataDir: string) {}

  private file(stack: string): string {
    return path.join(this.dataDir, 'stacks', `${stack}.json`);
  }

  read(stack: string): Topology | null {
    try {
      return parseTopology(JSON.parse(readFileSync(this.file(stack), 'utf8')).topology);
    } catch {
      return null;
    }
  }

  write(stack: string, topology: Topology): void {
    const file = this.file(stack);
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename: a crash never leaves half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ topology, updatedAt: Date.now() }, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  remove(stack: string): void {
    rmSync(this.file(stack), { force: true });
  }
}
