// The workshop as a course, without a stack: chapters to move between, a prediction kept by the
// engine across a reload, the answer on request, and a chapter's handout saved. (A lesson's check
// turning green on the real stack is in console.e2e.test.ts, where a stack runs.)
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTS, type HostFixture } from './fixtures/hosts.js';

describe.each(HOSTS)('the course ($name)', (host) => {
  describe.skipIf(!host.available)('chapters, predictions, handouts', () => {
    let c: HostFixture;
    beforeAll(async () => {
      c = await host.open('t-course');
    });
    afterAll(async () => {
      await c?.close();
    });
    const id = (testId: string) => c.page.locator(`[data-testid="${testId}"]`);
    const openWorkshop = async () => {
      await id('workshop-toggle').click();
      await id('workshop').waitFor();
    };

    it('opens on chapter 1 and moves by chapter, by button and by key', async () => {
      await openWorkshop();
      await expect(id('lesson-title').textContent()).resolves.toMatch(/^Chapter 1: One server/);
      await expect(id('course-progress').textContent()).resolves.toBe('0 of 29 lessons passed');
      await id('chapter-5').click();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache/);
      await id('lesson-next').click();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Stale data/);
      await id('lesson-next').click();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Stampede/);
      await id('lesson-next').click();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Eviction/);
      await id('lesson-next').click();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Write-behind/);
      await id('lesson-next').click();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 6: The database/);
      await c.page.locator('.sidebar .brand').click();
      await c.page.keyboard.press('p');
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Write-behind/);
      await c.page.keyboard.press('p');
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Eviction/);
      await c.page.keyboard.press('p');
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Stampede/);
      await c.page.keyboard.press('p');
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Stale/);
      await c.page.keyboard.press('p');
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache — Cache-aside/);
    });

    it('keeps the prediction and the lesson open across a reload (the engine keeps them), and answers on request', async () => {
      await id('predict-2').click();
      await expect.poll(() => id('predict-2').getAttribute('aria-checked')).toBe('true');
      await c.page.reload();
      await openWorkshop();
      await expect.poll(() => id('lesson-title').textContent()).toMatch(/^Chapter 5: Application cache/);
      await expect.poll(() => id('predict-2').getAttribute('aria-checked')).toBe('true');
      await expect(id('predict-answer').count()).resolves.toBe(0);
      await id('predict-reveal').click();
      await expect(id('predict-answer').textContent()).resolves.toMatch(/^You predicted it\. Above 0\.7\./);
      await expect(id('lesson-check').getAttribute('data-status')).resolves.toBe('idle');
      await c.shot('workshop-course');
    });

    it('saves the chapter as a handout', async () => {
      await id('handout').click();
      const [download] = await Promise.all([c.page.waitForEvent('download'), id('handout-html').click()]);
      expect(download.suggestedFilename()).toBe('scalelab-chapter-5-cache.html');
      const html = readFileSync((await download.path())!, 'utf8');
      expect(html).toContain('Chapter 5: Application cache');
      expect(html).toContain('What I measured');
    });
  });
});
