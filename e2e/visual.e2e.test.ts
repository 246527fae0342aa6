// The main views against their accepted pictures, light and dark: the first screen, the course,
// settings, a replay of the shipped sample (its figures are fixed), and a stack running (no load,
// so nothing moves; its address is masked). Browser mode only: Electron draws the same renderer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConsole, type ConsoleFixture } from './fixtures/console.js';
import { matchScreenshot } from './fixtures/visual.js';

describe.skipIf(!chromiumAvailable())('screenshot comparisons (browser mode)', () => {
  let c: ConsoleFixture;
  beforeAll(async () => {
    c = await openConsole('t-visual');
    await c.page.setViewportSize({ width: 1440, height: 1000 });
  });
  afterAll(async () => {
    await c?.close();
  });
  const id = (t: string) => c.page.locator(`[data-testid="${t}"]`);
  /** The OS scheme, and then the console following it (it re-renders on the media query's change:
   *  a picture taken at once could still be in the other scheme). */
  const scheme = async (s: 'light' | 'dark') => {
    await c.page.emulateMedia({ colorScheme: s, reducedMotion: 'reduce' });
    await c.page.locator(`.app[data-appearance="${s}"]`).waitFor();
  };

  it('the first screen, light and dark', async () => {
    await id('first-steps').waitFor();
    for (const s of ['light', 'dark'] as const) {
      await scheme(s);
      expect((await matchScreenshot(c.page, `first-steps-${s}`)).ratio).toBeLessThanOrEqual(0.005);
    }
  });

  it('the course, light', async () => {
    await scheme('light');
    await id('workshop-toggle').click();
    await id('chapter-5').click();
    await expect.poll(() => id('lesson-title').textContent()).toMatch(/Chapter 5/);
    await matchScreenshot(c.page, 'workshop-light');
  });

  it('settings, dark (the engine paths, which differ per machine, masked)', async () => {
    await scheme('dark');
    await id('tab-settings').click();
    await id('k6-found').waitFor();
    await matchScreenshot(c.page, 'settings-dark', [id('engine-settings')]);
  });

  it('a replay of the sample, light and dark', async () => {
    await id('tab-history').click();
    await c.page.locator('[data-testid^="run-"][data-sample="true"] button:has-text("replay")').first().click();
    await c.page.locator('[data-testid="replay-speed"] button', { hasText: '20x' }).click();
    await id('replay').filter({ hasText: ', done' }).waitFor({ timeout: 60_000 });
    // Charts draw one a frame (chart-scheduler.ts): "done" comes before the last of them has.
    const drawn = () =>
      c.page
        .locator('.chart[data-points]')
        .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { points?: string } }).dataset.points));
    await expect.poll(async () => new Set(await drawn()).size, { timeout: 10_000 }).toBe(1);
    for (const s of ['light', 'dark'] as const) {
      await scheme(s);
      await matchScreenshot(c.page, `replay-${s}`);
    }
    await id('replay-end').click();
  });

  it('a stack running, light', async () => {
    await scheme('light');
    await id('tab-lab').click();
    await c.lab.api.stack.up({ preset: 'three-tier', set: { 'ports.entry': 0 } });
    for (const s of ['lb', 'api-1', 'db-primary'])
      await c.page.locator(`[data-testid="node-${s}"][data-health="healthy"]`).waitFor({ timeout: 60_000 });
    await matchScreenshot(c.page, 'stack-running-light', [id('stack-state'), c.page.locator('.progress-list')]);
  });
});
