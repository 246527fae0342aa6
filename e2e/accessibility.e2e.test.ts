// Accessibility of every view, checked by axe-core (the engine behind Lighthouse and Deque's tools)
// in the real console: no serious or critical violation on the Lab (first screen and a replay),
// the workshop, history, reports and settings, in light and dark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './fixtures/axe.js';
import { HOSTS, type HostFixture } from './fixtures/hosts.js';

const browser = HOSTS[0];

describe.skipIf(!browser.available)('accessibility (axe-core, browser mode)', () => {
  let c: HostFixture;
  beforeAll(async () => {
    c = await browser.open('t-a11y');
  });
  afterAll(async () => {
    await c?.close();
  });

  it('has no serious or critical violations in any view, light or dark', async () => {
    const page = c.page;
    const found: Record<string, string[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const view of ['tab-lab', 'workshop-toggle', 'tab-history', 'tab-capacity', 'tab-reports', 'tab-settings']) {
        await page.locator(`[data-testid="${view}"]`).click();
        await page.waitForTimeout(300);
        found[`${scheme} ${view}`] = await seriousViolations(page);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length))).toEqual({});
  });
});
