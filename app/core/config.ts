// Where things are: the stack definitions (stack/), the data directory, the app version.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../contract/errors.js';
import { defaultSettingsFile, readSettingsFile } from './settings/engine-settings.js';

export interface LabConfig {
  /** Folder with base/, api/, lb/, cache/, db/, cdn/ (the repository's stack/, or the packaged copy). */
  stackDir: string;
  /** Runs, stack state, course progress: SCALELAB_HOME, else the settings file's, else ~/.scalelab. */
  dataDir: string;
  /** Where dataDir came from (the console shows it beside the setting). */
  dataDirFrom: 'environment' | 'settings' | 'default';
  /** The engine's settings file: SCALELAB_SETTINGS, else ~/.scalelab/settings.json. */
  settingsFile: string;
  /** Stack name (labels, container names): SCALELAB_STACK, else "lab". */
  stack: string;
  /** Where stacks run: the local engine, or the Swarm it manages (SCALELAB_TARGET, else "local"). */
  target: StackTarget;
  appVersion: string;
  /** load-scripts/: workloads/ and k6/. */
  loadScriptsDir: string;
  /** Runs shipped with the app (read-only), for a first look without Docker. */
  samplesDir: string;
  /** The module that renders reports to HTML with the console's components (a built copy in packaged apps). */
  reportRenderer: string;
}

export const STACK_TARGETS = ['local', 'swarm'] as const;
export type StackTarget = (typeof STACK_TARGETS)[number];

function targetOf(text: string | undefined): StackTarget {
  if (text === undefined || text === '') return 'local';
  if ((STACK_TARGETS as readonly string[]).includes(text)) return text as StackTarget;
  throw new LabError(
    `target "${text}" is not one of ${STACK_TARGETS.join(', ')}`,
    'BAD_INPUT',
    'Use --target local or --target swarm.',
  );
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function resolveConfig(overrides: Partial<LabConfig> = {}): LabConfig {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const settingsFile = overrides.settingsFile ?? defaultSettingsFile();
  const saved = readSettingsFile(settingsFile).dataDir;
  const [dataDir, dataDirFrom]: [string, LabConfig['dataDirFrom']] = overrides.dataDir
    ? [overrides.dataDir, 'environment']
    : process.env.SCALELAB_HOME
      ? [process.env.SCALELAB_HOME, 'environment']
      : saved
        ? [saved, 'settings']
        : [path.join(os.homedir(), '.scalelab'), 'default'];
  return {
    stackDir: overrides.stackDir ?? process.env.SCALELAB_STACK_DIR ?? path.join(repoRoot, 'stack'),
    dataDir,
    dataDirFrom: overrides.dataDirFrom ?? dataDirFrom,
    settingsFile,
    stack: overrides.stack ?? process.env.SCALELAB_STACK ?? 'lab',
    target: targetOf(overrides.target ?? process.env.SCALELAB_TARGET),
    appVersion: overrides.appVersion ?? pkg.version,
    loadScriptsDir:
      overrides.loadScriptsDir ?? process.env.SCALELAB_LOAD_SCRIPTS ?? path.join(repoRoot, 'load-scripts'),
    samplesDir: overrides.samplesDir ?? process.env.SCALELAB_SAMPLES ?? path.join(repoRoot, 'samples'),
    reportRenderer:
      overrides.reportRenderer ??
      process.env.SCALELAB_REPORT_RENDERER ??
      path.join(repoRoot, 'app', 'renderer', 'report', 'render-report-html.tsx'),
  };
}

/** Rebuilds the API bundle when its source is there (a checkout; packaged apps ship the bundle)
 *  and newer than the bundle. */
export async function prepareApiBundle(stackDir: string): Promise<void> {
  const src = path.join(stackDir, 'api', 'src');
  if (!existsSync(path.join(src, 'server.ts'))) return;
  const bundle = path.join(stackDir, 'api', 'dist', 'server.js');
  const newestSource = Math.max(...readdirSync(src).map((f) => statSync(path.join(src, f)).mtimeMs));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource) return;
  let buildApiBundle: (apiDir: string) => Promise<string>;
  try {
    ({ buildApiBundle } = await import('../../stack/api/build.js'));
  } catch (err) {
    // A host that cannot load the build script (the bundled desktop app) uses the bundle it has.
    if (existsSync(bundle)) return;
    throw new Error(
      `the API bundle is missing and cannot be built here (${(err as Error).message}): run \`npm run build:api\``,
    );
  }
  await buildApiBundle(path.join(stackDir, 'api'));
}
