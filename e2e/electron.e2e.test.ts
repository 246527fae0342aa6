// What only the desktop host has, where an Electron binary exists: the page has no Node and no way
// around the preload, and PDFs come from Electron's own printToPDF, saved as a download. (The
// console specs themselves run here too: see fixtures/hosts.ts.) Where no binary can be had (its
// download fails on machines without GitHub), these are skipped and say so.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeElectronBinary } from '../app/main/electron-binary.js';
import { openElectronConsole } from './fixtures/electron.js';
import type { HostFixture } from './fixtures/hosts.js';

const bin = await probeElectronBinary();
if (!bin.path)
  console.warn(
    `*** Electron e2e SKIPPED: no Electron binary here (${bin.why}). Browser mode is tested in console.e2e.test.ts.`,
  );

describe.skipIf(!bin.path)('the desktop host (Electron)', () => {
  let c: HostFixture;
  const saveDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-electron-save-'));
  beforeAll(async () => {
    c = await openElectronConsole(bin.path!, 't-electron', { SCALELAB_SAVE_DIR: saveDir });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('loads the console and reaches the Lab over IPC', async () => {
    await c.page.locator('[data-testid="preset-full"]').waitFor({ timeout: 30_000 });
    expect(await c.page.locator('[data-testid^="preset-"]').count()).toBe(7);
  });

  it('loads the console through its own app:// protocol, not file://', () => {
    expect(c.page.url()).toMatch(/^app:\/\/scalelab\//);
  });

  it("gives the page no Node, only window.lab with the contract's methods", async () => {
    const probe = await c.page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      lab: Object.keys((globalThis as unknown as { lab: object }).lab).sort(),
    }));
    expect(probe).toEqual({ require: 'undefined', process: 'undefined', lab: ['methods', 'onMessage', 'send'] });
  });

  it("exports the sample as a PDF printed by Electron's printToPDF, saved as a download", async () => {
    await c.page.locator('[data-testid="tab-history"]').click();
    await c.page.locator('[data-testid^="run-"][data-sample="true"] button[role="checkbox"]').first().click();
    await c.page.locator('[data-testid="export-pdf"]').click();
    await c.page.locator('[data-testid="export-done"]').waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 10_000;
    while (!readdirSync(saveDir).some((f) => f.endsWith('.pdf')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const pdf = readdirSync(saveDir).find((f) => f.endsWith('.pdf'));
    expect(pdf).toBeDefined();
    expect(readFileSync(path.join(saveDir, pdf!)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
