// The engine's settings file (~/.scalelab/settings.json, or $SCALELAB_SETTINGS): the data folder
// and the k6 binary. A value is checked before it is saved (a folder must be writable, a k6 must
// run and say it is k6), so a bad one is refused with the reason and nothing changes.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LabError } from '../runtime/errors.js';
import { k6Version } from '../load/k6-locator.js';

const fileSchema = z.object({
  dataDir: z.string().optional(),
  k6Path: z.string().optional(),
});
export type SavedSettings = z.infer<typeof fileSchema>;

export function defaultSettingsFile(): string {
  return process.env.SCALELAB_SETTINGS ?? path.join(os.homedir(), '.scalelab', 'settings.json');
}

/** The saved settings; a missing or unreadable file is no settings (never a failure to start). */
export function readSettingsFile(file: string): SavedSettings {
  if (!existsSync(file)) return {};
  try {
    return fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return {};
  }
}

export function writeSettingsFile(file: string, s: SavedSettings): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(s, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch (err) {
    throw new LabError(
      `The settings could not be saved to ${file}: ${(err as Error).message}`,
      'DATA_DIR_UNWRITABLE',
      'Check that folder is writable, or set SCALELAB_SETTINGS to a file elsewhere.',
    );
  }
}

/** A data folder must be an absolute path ScaleLab can create and write in. */
export function checkDataDir(dir: string): string {
  if (!path.isAbsolute(dir))
    throw new LabError(
      `The data folder must be an absolute path, not "${dir}".`,
      'BAD_INPUT',
      'For example /home/you/scalelab-data.',
    );
  const probe = path.join(dir, `.scalelab-write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (err) {
    throw new LabError(
      `ScaleLab cannot write in ${dir}: ${(err as Error).message}`,
      'DATA_DIR_UNWRITABLE',
      'Pick a folder you own, or fix its permissions.',
    );
  }
  return path.normalize(dir);
}

/** A k6 binary must be an absolute path to a file that runs and answers `version` as k6. */
export async function checkK6(file: string): Promise<string> {
  if (!path.isAbsolute(file))
    throw new LabError(
      `The k6 binary must be an absolute path, not "${file}".`,
      'BAD_INPUT',
      'For example /usr/local/bin/k6.',
    );
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new LabError(
      `${file} is not an executable file.`,
      'BAD_INPUT',
      'Point at the k6 binary itself (`which k6` prints it).',
    );
  }
  const version = await k6Version(file);
  if (!version)
    throw new LabError(
      `${file} runs, but \`${path.basename(file)} version\` did not answer as k6.`,
      'BAD_INPUT',
      'Point at the k6 binary (https://grafana.com/docs/k6/latest/set-up/install-k6/).',
    );
  return version;
}
