// `npm start` and `npm run dist` as a user runs them: the launcher falls back to browser mode and
// serves the console; dist stops with a message where no Electron binary can be had.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeElectronBinary } from '../main/electron-binary.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const electron = await probeElectronBinary();
const env = (extra: Record<string, string>) => ({
  ...process.env,
  SCALELAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'scalelab-launch-')),
  SCALELAB_NO_OPEN: '1',
  ...extra,
});

describe('launchers', () => {
  it('npm start in browser mode serves the console on 127.0.0.1 behind a token, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/start.mjs'], {
      cwd: root,
      env: env({ SCALELAB_BROWSER: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed in 120 s:\n${out}`)), 120_000);
      child.stdout.on('data', () => {
        const m = /http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
    });
    expect(out).toMatch(/SCALELAB_BROWSER=1.*starting browser mode/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    expect((await fetch(url.replace(/token=[^&]+/, 'token=wrong'))).status).toBe(401);
    child.kill('SIGTERM');
    await expect(new Promise((resolve) => child.on('exit', resolve))).resolves.toBe(0);
  }, 150_000);

  it.skipIf(!!electron.path)(
    'npm run dist stops with a message saying why where no Electron binary can be had',
    async () => {
      const child = spawn(process.execPath, ['bin/dist.mjs'], {
        cwd: root,
        env: env({}),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(2);
      expect(err).toMatch(/npm run dist needs the Electron binary, and it cannot be had here/);
      expect(err).toMatch(/browser mode/);
    },
    60_000,
  );
});
