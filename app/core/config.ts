// Where things are: the stack definitions (stack/), the data directory, the app version.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LabConfig {
  /** Folder with base/, api/, lb/, cache/, db/, cdn/ (the repository's stack/, or the packaged copy). */
  stackDir: string;
  /** Runs, stack state: SCALELAB_HOME, else ~/.scalelab. */
  dataDir: string;
  /** Stack name (labels, container names): SCALELAB_STACK, else "lab". */
  stack: string;
  appVersion: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function resolveConfig(overrides: Partial<LabConfig> = {}): LabConfig {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  return {
    stackDir: overrides.stackDir ?? process.env.SCALELAB_STACK_DIR ?? path.join(repoRoot, 'stack'),
    dataDir: overrides.dataDir ?? process.env.SCALELAB_HOME ?? path.join(os.homedir(), '.scalelab'),
    stack: overrides.stack ?? process.env.SCALELAB_STACK ?? 'lab',
    appVersion: overrides.appVersion ?? pkg.version,
  };
}

/** Rebuilds the API bundle from source when the source is there (a checkout; packaged apps ship the bundle). */
export async function prepareApiBundle(stackDir: string): Promise<void> {
  if (!existsSync(path.join(stackDir, 'api', 'src', 'server.ts'))) return;
  const { buildApiBundle } = await import('../../stack/api/build.js');
  await buildApiBundle();
}
