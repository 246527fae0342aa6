// A scaling curve's capacity report, rendered by the real report renderer (the console's own
// components, in a worker thread): the verdict, the measured knees over both fitted laws, the fits,
// each value's knee and measurement, the plan and the hockey sticks; a PDF through Chromium.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CurveReportModel } from '../../contract/capacity.js';
import type { MeasurementVerdict } from '../../contract/measurement.js';
import { resolveConfig } from '../config.js';
import { FileRunStore } from '../runs/file-run-store.js';
import { findChromium } from './chromium.js';
import { curveRendererFrom } from './html.js';
import { printPdfWithChromium } from './pdf.js';
import { curveReportModel } from './reports-service.js';
import { CURVE_LAW, CURVE_VALUES, saveSyntheticCurve } from '../testing/synthetic-curve.js';

const law = CURVE_LAW;
const VALUES = CURVE_VALUES;

async function measuredCurve() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-curve-report-'));
  return { home, curves: await saveSyntheticCurve(home) };
}

/** The chart's own SVG (its legend's icons are SVGs too, drawn before it) under a test id. */
function chartIn(html: string, testId: string): string {
  const from = html.indexOf('<svg role="application"', html.indexOf(`data-testid="${testId}"`));
  return html.slice(from, html.indexOf('</svg>', from));
}

const distorted: MeasurementVerdict = {
  verdict: 'distorted',
  reasons: ['the generator was behind its schedule in 6 of 40 seconds'],
  saturatedSeconds: 6,
  seconds: 40,
  dropped: 0,
  sent: 4000,
  lateMsMax: 300,
  cpuMax: 99,
  latencyFrom: 'scheduled',
};

describe('a scaling curve as a capacity report', () => {
  const renderCurve = curveRendererFrom(resolveConfig().reportRenderer);

  it('is built from the saved curve, each sweep run looked up (gone ones say so)', async () => {
    const { home, curves } = await measuredCurve();
    const m = curveReportModel({ curves, store: new FileRunStore(home), appVersion: '0.0.0-test' }, 'last');
    expect(m.curve.points.map((p) => p.value)).toEqual(VALUES);
    expect(m.measurements).toEqual(VALUES.map(() => null));
    expect(m.curve.usl!.peakN).toBeCloseTo(Math.sqrt((1 - law.sigma) / law.kappa), 1);
  });

  it('says the peak, draws every knee over both laws, tabulates the fits and plans the headroom', async () => {
    const { home, curves } = await measuredCurve();
    const m: CurveReportModel = {
      ...curveReportModel({ curves, store: new FileRunStore(home), appVersion: '0.0.0-test' }, 'last'),
      measurements: VALUES.map((_, i) => (i === 4 ? distorted : null)),
    };
    const html = await (await renderCurve())(m);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<title>ScaleLab capacity: api.instances = 1, 2, 3, 4, 6</title>');
    expect(html).toMatch(/throughput peaks at api\.instances ≈ 6\.7, about \d+ requests\/s/);
    expect(html).toContain('This machine has 2 cores');
    // Five measured dots, two fitted lines.
    expect(chartIn(html, 'scaling-curve').match(/class="recharts-symbols"/g)).toHaveLength(VALUES.length);
    expect(chartIn(html, 'scaling-curve').match(/class="recharts-curve recharts-line-curve"/g)).toHaveLength(2);
    expect(html).toContain('USL fit');
    expect(html).toContain('Amdahl fit');
    expect(html).toMatch(/data-testid="curve-fit"[\s\S]*Universal Scalability Law[\s\S]*0\.100[\s\S]*0\.0200/);
    expect(html).toMatch(/data-testid="curve-headroom"[^>]*>200\/s with 50% headroom: api\.instances = \d/);
    // One hockey stick per value.
    expect(chartIn(html, 'curve-hockey-sticks').match(/class="recharts-curve recharts-line-curve"/g)).toHaveLength(
      VALUES.length,
    );
    // The distorted sweep is marked in its row and explained.
    expect(html).toContain('data-testid="curve-distorted"');
    expect(html).toContain('DISTORTED: the generator was behind its schedule in 6 of 40 seconds');
    expect(html).toContain('its run is gone');
  }, 60_000);

  it.skipIf(!findChromium())(
    'prints to PDF',
    async () => {
      const { home, curves } = await measuredCurve();
      const m = curveReportModel({ curves, store: new FileRunStore(home), appVersion: '0.0.0-test' }, 'last');
      const pdf = await printPdfWithChromium(await (await renderCurve())(m));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    },
    60_000,
  );
});
