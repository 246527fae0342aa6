// A first look without Docker: the sample run shipped in samples/ replays in the live views.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConsole, type ConsoleFixture } from './fixtures/console.js';

describe.skipIf(!chromiumAvailable())('replay of the shipped sample (no stack needed)', () => {
  let c: ConsoleFixture;
  beforeAll(async () => { c = await openConsole('t-replay'); });
  afterAll(async () => { await c?.close(); });

  it('replays the sample run at 20x with its markers and figures', async () => {
    const page = c.page;
    await page.locator('[data-testid="tab-history"]').click();
    const sample = page.locator('[data-testid^="run-"][data-sample="true"]').first();
    await sample.waitFor();
    await sample.locator('button:has-text("replay")').click();
    await page.locator('[data-testid="replay-speed"]').selectOption('20');
    // 76 seconds at 20x: about 4 s; a busy CI machine gets a minute before this counts as broken.
    await page.locator('[data-testid="replay"]', { hasText: ', done' }).waitFor({ timeout: 60_000 });
    expect(Number(await page.locator('[data-testid="chart-throughput"]').getAttribute('data-points'))).toBeGreaterThanOrEqual(70);
    expect(await page.locator('[data-testid="marker-row"]').count()).toBe(3);
    await expect(page.locator('[data-testid="markers"]').textContent()).resolves.toMatch(/kill api-2/);
    await c.shot('replay');
  });
});
