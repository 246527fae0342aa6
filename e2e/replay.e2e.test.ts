// A first look without Docker: the sample run shipped in samples/ replays in the live views.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSyntheticCurve, CURVE_VALUES } from '../app/core/testing/synthetic-curve.js';
import { HOSTS, type HostFixture } from './fixtures/hosts.js';

describe.each(HOSTS)('the shipped sample, no stack needed ($name)', (host) => {
  describe.skipIf(!host.available)('replay and export', () => {
    let c: HostFixture;
    beforeAll(async () => {
      c = await host.open('t-replay');
    });
    afterAll(async () => {
      await c?.close();
    });

    it('replays the sample run at 20x with its markers and figures', async () => {
      const page = c.page;
      await page.locator('[data-testid="tab-history"]').click();
      const sample = page.locator('[data-testid^="run-"][data-sample="true"]').first();
      await sample.waitFor();
      await sample.locator('button:has-text("replay")').click();
      await page.locator('[data-testid="replay-speed"] button', { hasText: '20x' }).click();
      // 76 seconds at 20x: about 4 s; a busy CI machine gets a minute before this counts as broken.
      await page.locator('[data-testid="replay"]', { hasText: ', done' }).waitFor({ timeout: 60_000 });
      // The charts draw on their own schedule (frames to spare): the last points may land a moment later.
      await expect
        .poll(async () => Number(await page.locator('[data-testid="chart-throughput"]').getAttribute('data-points')), {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(70);
      expect(await page.locator('[data-testid="marker-row"]').count()).toBe(3);
      await expect(page.locator('[data-testid="markers"]').textContent()).resolves.toMatch(/kill api-2/);
      // The tooltip is there while the pointer is over a chart (mounted then only: SeriesChart.tsx),
      // naming the second and each series' value; gone once the pointer leaves.
      const plot = page.locator('[data-testid="chart-throughput"] svg.recharts-surface');
      const box = (await plot.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 2);
      const tip = page.locator('[data-testid="chart-throughput"] .recharts-tooltip-wrapper');
      await expect.poll(async () => tip.textContent(), { timeout: 5000 }).toMatch(/\d+ s.*completed/s);
      await page.mouse.move(0, 0);
      await expect.poll(async () => tip.count(), { timeout: 5000 }).toBe(0);
      await c.shot('replay');
    });

    it('arranges the charts: one enlarged, one collapsed, one dragged before another, and the layout survives a reload', async () => {
      const page = c.page;
      const order = () =>
        page
          .locator('[data-testid="chart-grid"] .chart')
          .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { testid?: string } }).dataset.testid));
      await page.locator('[data-testid="enlarge-latency"]').click();
      await expect(page.locator('.chart-enlarged [data-testid="chart-latency"]').count()).resolves.toBe(1);
      await page.locator('[data-testid="collapse-memory"]').click();
      await expect(page.locator('[data-testid="chart-memory"]').getAttribute('data-collapsed')).resolves.toBe('true');
      await expect(page.locator('[data-testid="chart-memory"] svg.recharts-surface').count()).resolves.toBe(0);
      // Dragged by its grip onto its neighbour in the same row (both in view: a drag that has to
      // scroll the page is not what this checks): the hit ratio goes before the error rate.
      const hitBeforeErrors = async () => (await order()).slice(4, 6);
      await page
        .locator('[data-testid="chart-hit-ratio"] .chart-grip')
        .dragTo(page.locator('[data-testid="chart-errors"]'));
      expect(await hitBeforeErrors()).toEqual(['chart-hit-ratio', 'chart-errors']);
      await c.shot('charts-arranged');
      await page.reload();
      await page.locator('[data-testid="tab-history"]').click();
      await page.locator('[data-testid^="run-"][data-sample="true"] button:has-text("replay")').first().click();
      await page.locator('[data-testid="chart-grid"]').waitFor();
      expect(await hitBeforeErrors()).toEqual(['chart-hit-ratio', 'chart-errors']);
      await expect(page.locator('.chart-enlarged [data-testid="chart-latency"]').count()).resolves.toBe(1);
      await expect(page.locator('[data-testid="chart-memory"]').getAttribute('data-collapsed')).resolves.toBe('true');
      await page.locator('[data-testid="charts-reset"]').click();
      expect(await hitBeforeErrors()).toEqual(['chart-errors', 'chart-hit-ratio']);
      await page.locator('[data-testid="replay-end"]').click();
    });

    it('exports the sample from History as an HTML report and a PDF, downloaded by the browser', async () => {
      const page = c.page;
      await page.locator('[data-testid="tab-history"]').click();
      const sample = page.locator('[data-testid^="run-"][data-sample="true"]').first();
      await sample.locator('button[role="checkbox"]').click();
      const [html] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid="export-html"]').click(),
      ]);
      expect(html.suggestedFilename()).toMatch(/^scalelab-\d{8}-\d{6}-mixed-[0-9a-f]{4}\.html$/);
      const text = readFileSync((await html.path())!, 'utf8');
      expect(text.match(/<svg[^>]*role="application"/g)).toHaveLength(23);
      await page.locator('[data-testid="export-done"]').waitFor();
      const [pdf] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.locator('[data-testid="export-pdf"]').click(),
      ]);
      expect(
        readFileSync((await pdf.path())!)
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      await c.shot('history-export');
    });

    it('shows a saved scaling curve in Capacity: the knees over both fitted laws, the fits, the plan, and its report', async () => {
      const page = c.page;
      await saveSyntheticCurve(c.lab.config.dataDir);
      await page.locator('[data-testid="tab-capacity"]').click();
      // No stack here: the form says what to do first and starts nothing.
      await expect(page.locator('[data-testid="curve-form-note"]').textContent()).resolves.toMatch(/bring a stack up/);
      await expect(page.locator('[data-testid="curve-start"]').isDisabled()).resolves.toBe(true);
      await page.locator('[data-testid="curve-view"]').waitFor();
      await expect(
        page.locator('[data-testid="scaling-curve"] svg[role="application"] .recharts-symbols').count(),
      ).resolves.toBe(CURVE_VALUES.length);
      await expect(page.locator('[data-testid="curve-verdict"]').textContent()).resolves.toMatch(
        /throughput peaks at api\.instances ≈ 6\.7/,
      );
      await expect(page.locator('[data-testid="curve-fit"] tbody tr').count()).resolves.toBe(2);
      await expect(page.locator('[data-testid="curve-headroom"]').textContent()).resolves.toMatch(/^200\/s with 50%/);
      await c.shot('capacity');
      const [pdf] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.locator('[data-testid="curve-export-pdf"]').click(),
      ]);
      expect(pdf.suggestedFilename()).toMatch(/^scalelab-curve-\d{8}-\d{6}-[0-9a-f]{4}\.pdf$/);
      expect(
        readFileSync((await pdf.path())!)
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    });
  });
});
