// settings.* of the Lab: the engine's settings as they are and where each came from, and a change
// checked before it is saved. The k6 binary applies at once; a new data folder at the next start
// (runs, stack state and progress are open in the current one).
import type Docker from 'dockerode';
import type { SettingsApi } from '../../contract/lab-api.js';
import type { EngineSettings } from '../../contract/settings.js';
import type { LabConfig } from '../config.js';
import { describeK6 } from '../load/choose-engine.js';
import { locateK6 } from '../load/k6-locator.js';
import { checkDataDir, checkK6, readSettingsFile, writeSettingsFile, type SavedSettings } from './engine-settings.js';

export function createSettingsApi(config: LabConfig, docker: Docker | undefined): SettingsApi {
  const get = async (): Promise<EngineSettings> => {
    const saved = readSettingsFile(config.settingsFile);
    return {
      file: config.settingsFile,
      dataDir: {
        current: config.dataDir,
        from: config.dataDirFrom,
        saved: saved.dataDir ?? null,
        pendingRestart: !!saved.dataDir && saved.dataDir !== config.dataDir,
      },
      k6: { saved: saved.k6Path ?? null, found: describeK6(await locateK6(docker, saved.k6Path)) },
    };
  };
  return {
    get,
    async set(change) {
      const next: SavedSettings = { ...readSettingsFile(config.settingsFile) };
      // Every value is checked before anything is written: one bad value saves nothing.
      if (change.dataDir !== undefined) {
        if (change.dataDir === null) delete next.dataDir;
        else next.dataDir = checkDataDir(change.dataDir);
      }
      if (change.k6Path !== undefined) {
        if (change.k6Path === null) delete next.k6Path;
        else {
          await checkK6(change.k6Path);
          next.k6Path = change.k6Path;
        }
      }
      writeSettingsFile(config.settingsFile, next);
      return get();
    },
  };
}

/** The saved k6 binary, read when a run starts (a change applies to the next run). */
export const savedK6Path = (config: LabConfig) => () => readSettingsFile(config.settingsFile).k6Path ?? null;
