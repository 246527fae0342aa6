// The console's shell: the sidebar reaches every view, the theme follows the system until the user
// picks one, and the choice survives a reload; the first screen teaches; a report is built from
// the Reports view.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './fixtures/axe.js';
import { HOSTS, type HostFixture } from './fixtures/hosts.js';

describe.each(HOSTS)('the console shell ($name)', (host) => {
  describe.skipIf(!host.available)('sidebar, theme and settings', () => {
    let c: HostFixture;
    beforeAll(async () => {
      c = await host.open('t-shell');
    });
    afterAll(async () => {
      await c?.close();
    });

    const appearance = () => c.page.locator('.app').getAttribute('data-appearance');
    /** Polled for up to 5 s: a busy CI machine took longer than expect.poll's one second default. */
    const appearanceIs = (want: string) => expect.poll(appearance, { timeout: 5000 }).toBe(want);

    it('follows the system until a theme is picked, and keeps the pick across a reload', async () => {
      const page = c.page;
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('[data-testid="tab-settings"]').click();
      await page.locator('[data-testid="settings"]').waitFor();
      // The system's change reaches the console through a media query listener: polled (a CI run
      // read the attribute a moment before it turned).
      await appearanceIs('dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await appearanceIs('light');
      await page.locator('[data-testid="setting-appearance"] button', { hasText: 'Dark' }).click();
      await appearanceIs('dark');
      await expect(page.locator('.radix-themes.dark').count()).resolves.toBeGreaterThan(0);
      await page.reload();
      await page.locator('[data-testid="tab-lab"]').waitFor();
      await appearanceIs('dark');
      await c.shot('settings-dark');
      await page.locator('[data-testid="tab-settings"]').click();
      await page.locator('[data-testid="setting-appearance"] button', { hasText: 'Follow the system' }).click();
      await appearanceIs('light');
    });

    it("keeps the engine's settings: a data folder for the next start, a k6 that is not k6 refused with the reason", async () => {
      const page = c.page;
      await page.locator('[data-testid="tab-settings"]').click();
      await page.locator('[data-testid="engine-settings"]').waitFor();
      await expect(page.locator('[data-testid="k6-found"]').textContent()).resolves.toMatch(/Found now: /);
      await page.locator('[data-testid="setting-k6-path"]').fill('/bin/true');
      await page.locator('[data-testid="save-k6-path"]').click();
      await expect
        .poll(() => page.locator('[data-testid="engine-settings-error"]').textContent())
        .toMatch(/did not answer as k6/);
      const wanted = path.join(os.tmpdir(), `scalelab-e2e-next-${process.pid}`);
      await page.locator('[data-testid="setting-data-dir"]').fill(wanted);
      await page.locator('[data-testid="save-data-dir"]').click();
      await page.locator('[data-testid="data-dir-pending"]').waitFor();
      await c.shot('settings-engine');
      await page.locator('[data-testid="reset-data-dir"]').click();
      await page.locator('[data-testid="data-dir-pending"]').waitFor({ state: 'detached' });
    });

    it('tours the console on request from the palette, step by step, each step pointing at its part', async () => {
      const page = c.page;
      await page.locator('[data-testid="tab-lab"]').click();
      await page.keyboard.press('Control+k');
      await page.locator('[data-testid="palette"] [cmdk-input]').fill('tour');
      await page.locator('[data-testid="cmd-tour"]').click();
      const tour = page.locator('[data-testid="tour"]');
      await expect(tour.getAttribute('data-step')).resolves.toBe('1');
      await expect(page.locator('.sidebar.tour-target').count()).resolves.toBe(1);
      await page.locator('[data-testid="tour-next"]').click();
      await expect(tour.getAttribute('data-step')).resolves.toBe('2');
      await expect(page.locator('[data-testid="first-steps"].tour-target').count()).resolves.toBe(1);
      await c.shot('tour');
      if (host.name === 'browser mode') expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await tour.waitFor({ state: 'detached' });
      await page.reload();
      await page.locator('[data-testid="tab-lab"]').waitFor();
      await expect(tour.count()).resolves.toBe(0);
    });

    it('teaches before anything runs: what ScaleLab is, stage 1, or the sample replayed', async () => {
      const page = c.page;
      await page.locator('[data-testid="tab-lab"]').click();
      await page.locator('[data-testid="first-steps"]').waitFor();
      await expect(page.locator('[data-testid="first-stage1"]').isEnabled()).resolves.toBe(true);
      await c.shot('first-steps');
      await page.locator('[data-testid="first-replay"]').click();
      await page.locator('[data-testid="replay"]').waitFor();
      await page.locator('[data-testid="replay-end"]').click();
    });

    it('shows an error as a notice with its hint and an action: stage 1 with its port taken', async () => {
      const page = c.page;
      // Hold 127.0.0.1:8080 (stage 1's entry port); if something else holds it, the same happens.
      const holder = net.createServer();
      await new Promise<void>((r) => holder.once('error', () => r()).listen(8080, '127.0.0.1', () => r()));
      try {
        await page.locator('[data-testid="tab-lab"]').click();
        await page.locator('[data-testid="first-stage1"]').click();
        const toast = page.locator('[data-testid="toast"][data-code="PORT_IN_USE"]');
        await toast.waitFor({ timeout: 30_000 });
        await expect(toast.textContent()).resolves.toMatch(/Port 8080 .* in use.*choose another port/s);
        await expect(toast.locator('[data-testid="toast-action"]').textContent()).resolves.toBe('Try again');
        await c.shot('error-notice');
      } finally {
        holder.close();
      }
    });

    it('exports a report of the shipped sample from the Reports view', async () => {
      const page = c.page;
      await page.locator('[data-testid="tab-reports"]').click();
      const row = page.locator('[data-testid^="report-run-"]').first();
      await row.waitFor();
      await row.locator('button[role="checkbox"]').click();
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid="export-csv"]').click(),
      ]);
      expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    });
  });
});
