import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { createLab } from '../create-lab.js';

const REPLAY_K6 = path.resolve(import.meta.dirname, '..', 'testing', 'replay-k6.mjs');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'scalelab-settings-'));

describe('engine settings', () => {
  it('saves a data folder that is used from the next start, and says so meanwhile', async () => {
    const home = tmp();
    const settingsFile = path.join(home, 'settings.json');
    const before = resolveConfig({ settingsFile });
    const lab = createLab({ settingsFile, dataDir: undefined });
    const wanted = path.join(home, 'elsewhere', 'data');
    const s = await lab.api.settings.set({ dataDir: wanted });
    expect(existsSync(wanted)).toBe(true);
    expect(s.dataDir).toMatchObject({ saved: wanted, current: lab.config.dataDir });
    expect(s.dataDir.pendingRestart).toBe(true);
    // The next start reads it (unless SCALELAB_HOME, which always wins, is set).
    const next = resolveConfig({ settingsFile });
    if (!process.env.SCALELAB_HOME) expect(next).toMatchObject({ dataDir: wanted, dataDirFrom: 'settings' });
    expect(before.dataDirFrom).not.toBe('settings');
    await lab.api.settings.set({ dataDir: null });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({});
  });

  it('refuses a relative or unwritable folder and a binary that is not k6, saving nothing', async () => {
    const home = tmp();
    const settingsFile = path.join(home, 'settings.json');
    const lab = createLab({ settingsFile, dataDir: home });
    await expect(lab.api.settings.set({ dataDir: 'relative/dir' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const locked = path.join(home, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    // root writes anywhere: the permission case only means something for other users.
    if (process.getuid?.() !== 0)
      await expect(lab.api.settings.set({ dataDir: path.join(locked, 'x') })).rejects.toMatchObject({
        code: 'DATA_DIR_UNWRITABLE',
      });
    const notK6 = path.join(home, 'not-k6');
    writeFileSync(notK6, '#!/bin/sh\necho hello\n');
    chmodSync(notK6, 0o755);
    await expect(lab.api.settings.set({ k6Path: notK6 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/did not answer as k6/),
    });
    await expect(lab.api.settings.set({ k6Path: path.join(home, 'missing') })).rejects.toThrow(/not an executable/);
    // One bad value in a change saves nothing of it.
    await expect(lab.api.settings.set({ dataDir: path.join(home, 'ok'), k6Path: notK6 })).rejects.toThrow();
    expect(existsSync(settingsFile)).toBe(false);
  });

  it('uses a saved k6 binary for the next run: the engines list finds it', async () => {
    const home = tmp();
    const lab = createLab({ settingsFile: path.join(home, 'settings.json'), dataDir: home });
    const saved = await lab.api.settings.set({ k6Path: REPLAY_K6 });
    expect(saved.k6).toMatchObject({ saved: REPLAY_K6, found: expect.stringMatching(/1\.3\.0/) });
    const k6 = (await lab.api.load.engines()).find((e) => e.kind === 'k6')!;
    expect(k6).toMatchObject({ available: true, detail: expect.stringMatching(/1\.3\.0/) });
  });
});
