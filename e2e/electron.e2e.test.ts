// The desktop host where an Electron binary exists: the console loads in its window, the Lab
// answers over IPC, and the page has no Node and no way around the preload. Where no binary can
// be had (its download fails on machines without GitHub), these are skipped and say so.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { buildRendererIfStale } from '../app/bridge/main.js';
import { buildElectron } from '../app/main/build-electron.js';
import { probeElectronBinary } from '../app/main/electron-binary.js';

const bin = await probeElectronBinary();
if (!bin.path) console.warn(`*** Electron e2e SKIPPED: no Electron binary here (${bin.why}). Browser mode is tested in console.e2e.test.ts.`);

describe.skipIf(!bin.path)('console (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  const saveDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-electron-save-'));
  beforeAll(async () => {
    const renderer = await buildRendererIfStale(() => undefined);
    const { main } = await buildElectron();
    app = await _electron.launch({ executablePath: bin.path!, args: [main], env: { ...process.env, SCALELAB_RENDERER: `${renderer}/index.html`, SCALELAB_SAVE_DIR: saveDir,
      SCALELAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'scalelab-electron-home-')) } });
    page = await app.firstWindow();
  });
  afterAll(async () => { await app?.close(); });

  it('loads the console and reaches the Lab over IPC', async () => {
    await page.locator('[data-testid="preset-full"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid^="preset-"]').count()).toBe(7);
  });

  it('gives the page no Node, only window.lab with the contract\'s methods', async () => {
    const probe = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      lab: Object.keys((globalThis as unknown as { lab: object }).lab).sort(),
    }));
    expect(probe).toEqual({ require: 'undefined', process: 'undefined', lab: ['methods', 'onMessage', 'send'] });
  });

  it('exports the sample as a PDF printed by Electron\'s printToPDF, saved as a download', async () => {
    await page.locator('[data-testid="tab-history"]').click();
    await page.locator('[data-testid^="run-"][data-sample="true"] input[type="checkbox"]').first().check();
    await page.locator('[data-testid="export-pdf"]').click();
    await page.locator('[data-testid="export-done"]').waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 10_000;
    while (!readdirSync(saveDir).some((f) => f.endsWith('.pdf')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const pdf = readdirSync(saveDir).find((f) => f.endsWith('.pdf'));
    expect(pdf && existsSync(path.join(saveDir, pdf))).toBeTruthy();
    expect(readFileSync(path.join(saveDir, pdf!)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
