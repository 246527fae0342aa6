// Reports built from a real run folder: the sample in samples/, recorded on the real full stack
// (mixed workload, cache switched on, apply delay raised, api-2 killed). Damaged copies of it
// must give a clear error and no file.
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { FileRunStore } from '../runs/file-run-store.js';
import { getPreset } from '../topology/presets.js';
import { buildReport } from './build-report.js';
import { composeFiles } from './compose-export.js';
import { findChromium } from './chromium.js';
import { dashboardPanels, grafanaFiles } from './grafana-export.js';
import { htmlRendererFrom } from './html.js';
import { k6Summary } from './k6-summary.js';
import { printPdfWithChromium } from './pdf.js';
import { parseRunDocument, runDocuments } from './run-document.js';
import { seriesKeys, timelineCsv } from './timeline-csv.js';
import { K6_FIXTURES } from '../testing/k6-fixtures.js';

const config = resolveConfig();
const SAMPLE = readdirSync(config.samplesDir)[0];
const renderHtml = htmlRendererFrom(config.reportRenderer);

/** A data dir holding a copy of the sample as an ordinary run of the user's, to damage at will. */
function storeWithCopy() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-report-'));
  const dir = path.join(home, 'runs', SAMPLE);
  cpSync(path.join(config.samplesDir, SAMPLE), dir, { recursive: true });
  return { store: new FileRunStore(home), dir };
}

const model = (store: FileRunStore, ...ids: string[]) =>
  buildReport(
    ids.map((id) => store.open(id, { strict: true })),
    '0.0.0-test',
    0,
  );

describe('reports from a stored run', () => {
  const { store } = storeWithCopy();
  const data = store.open(SAMPLE, { strict: true });

  it('CSV: one row per second, one column per series, the values of the timeline', () => {
    const lines = timelineCsv(model(store, SAMPLE)).trimEnd().split('\n');
    const header = lines[0].split(',');
    const keys = seriesKeys(data.timeline);
    expect(header).toEqual(['time', 'second', ...keys]);
    expect(lines).toHaveLength(data.timeline.length + 1);
    const row = lines[10].split(',');
    for (const k of ['load.rps', 'load.p95', 'redis.hit_ratio']) {
      const v = data.timeline[9].v[k];
      expect(row[header.indexOf(k)]).toBe(typeof v === 'number' ? String(v) : '');
    }
  });

  it('JSON: the run folder as one document that reads back to the same run', () => {
    const text = JSON.stringify(runDocuments(model(store, SAMPLE)));
    const back = parseRunDocument(text);
    expect(back.run).toEqual(data.run);
    expect(back.timeline).toEqual(data.timeline);
    expect(back.events).toEqual(data.events);
    expect(() => parseRunDocument('{"format":"scalelab.run/v1","run":{}}')).toThrow(/run\.id/);
  });

  it("k6 summary: the shape `k6 --summary-export` writes, with the run's figures and threshold verdicts", () => {
    const fixture = JSON.parse(readFileSync(path.join(K6_FIXTURES, 'summary-export.json'), 'utf8'));
    const s = k6Summary(model(store, SAMPLE)) as typeof fixture;
    expect(Object.keys(s).sort()).toEqual(Object.keys(fixture).sort());
    expect(Object.keys(s.root_group).sort()).toEqual(Object.keys(fixture.root_group).sort());
    expect(Object.keys(s.metrics.http_reqs).sort()).toEqual(Object.keys(fixture.metrics.http_reqs).sort());
    expect(Object.keys(s.metrics.http_req_failed).sort()).toEqual(Object.keys(fixture.metrics.http_req_failed).sort());
    const summary = data.run.summary!;
    expect(s.metrics.http_reqs.count).toBe(summary.requests);
    expect(s.metrics.http_req_duration['p(95)']).toBe(summary.latency!.p95);
    // k6 writes `true` for a threshold that FAILED.
    for (const t of summary.thresholds) expect(s.metrics[t.metric].thresholds[t.expression]).toBe(!t.passed);
  });

  it('HTML: every chart as SVG, the summary, thresholds and every event with its effect', async () => {
    const html = await (await renderHtml())(model(store, SAMPLE));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    const charts = [...html.matchAll(/class="chart" data-testid="(chart-[a-z-]+)"/g)].map((m) => m[1]);
    expect(charts).toHaveLength(23);
    expect(html.match(/<svg[^>]*role="application"/g)).toHaveLength(23);
    expect((html.match(/recharts-line-curve/g) ?? []).length).toBeGreaterThanOrEqual(23);
    for (const e of data.events)
      expect(html).toContain(e.label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(html.match(/data-testid="marker-row"/g)).toHaveLength(data.events.length);
    expect(html).toContain(String(data.run.summary!.requests));
    for (const t of data.run.summary!.thresholds) expect(html).toContain(t.expression.replace(/</g, '&lt;'));
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
  });

  it('HTML: a failover drill of the run, with its figures', async () => {
    const copy = storeWithCopy();
    const t = copy.store.open(SAMPLE, { strict: true }).timeline[20].t;
    const result = {
      kind: 'failover',
      synchronous: false,
      oldLeader: 'db-primary',
      newLeader: 'db-replica-1',
      startedAt: t - 2000,
      faultAt: t,
      endedAt: t + 20_000,
      electedAfterMs: 10_400,
      writeOutageMs: 10_900,
      writes: { sent: 560, acknowledged: 200, failed: 360 },
      lostAcknowledged: 2,
      lostIds: [301_200, 301_201],
      timeline: { before: 1, after: 2 },
      rejoinedAfterMs: 3900,
      notes: [],
    };
    const event = { t: t + 20_000, kind: 'drill', label: 'failover: db-primary → db-replica-1', detail: result };
    writeFileSync(path.join(copy.dir, 'events.ndjson'), `${JSON.stringify(event)}\n`, { flag: 'a' });
    const html = await (await renderHtml())(model(copy.store, SAMPLE));
    expect(html).toContain('Database drills');
    expect(html.match(/data-testid="report-drill"/g)).toHaveLength(1);
    expect(html).toContain('10.9 s'); // the write outage
    expect(html).toMatch(/acknowledged writes lost \(RPO\)<\/th><td>2</);
  });

  it('a comparison report: deltas and both runs overlaid on the same charts', async () => {
    const m = model(store, SAMPLE, SAMPLE);
    expect(m.comparison!.deltas.find((d) => d.figure === 'p95 latency (ms)')!.change).toBe(0);
    const html = await (await renderHtml())(m);
    expect(html).toContain('data-testid="deltas"');
    expect(html.match(/data-testid="cmp-[a-z0-9-]+"/g)!.length).toBeGreaterThanOrEqual(7);
    expect(timelineCsv(m).split('\n')[0]).toMatch(/^second,A:.*,B:/);
  });

  it.skipIf(!findChromium())(
    'HTML opens in Chromium with the network blocked and asks for nothing; the PDF has its pages',
    async () => {
      const html = await (await renderHtml())(model(store, SAMPLE));
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'scalelab-html-')), 'report.html');
      writeFileSync(file, html);
      const browser = await chromium.launch({
        executablePath: findChromium()!,
        headless: true,
        args: ['--no-sandbox'],
      });
      try {
        const context = await browser.newContext({ offline: true });
        const asked: string[] = [];
        context.on('request', (r) => {
          if (r.url() !== `file://${file}`) asked.push(r.url());
        });
        const page = await context.newPage();
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        expect(await page.locator('svg.recharts-surface[role="application"]').count()).toBe(23);
        expect(await page.locator('h1').textContent()).toContain(SAMPLE);
        expect(asked).toEqual([]);
      } finally {
        await browser.close();
      }
      const pdf = await printPdfWithChromium(html);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = Number(
        /\/Type\s*\/Pages[^>]*\/Count\s+(\d+)/.exec(pdf.toString('latin1'))?.[1] ??
          (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length,
      );
      expect(pages).toBeGreaterThanOrEqual(3);
    },
    60_000,
  );

  it('a PDF without any Chromium is a clear error saying what to do', async () => {
    const prev = process.env.SCALELAB_CHROMIUM;
    process.env.SCALELAB_CHROMIUM = '/nonexistent/chromium';
    try {
      await expect(printPdfWithChromium('<p>x</p>')).rejects.toMatchObject({
        message: expect.stringMatching(/No Chromium at SCALELAB_CHROMIUM/),
        hint: expect.stringMatching(/apt-get install chromium/),
      });
    } finally {
      if (prev === undefined) delete process.env.SCALELAB_CHROMIUM;
      else process.env.SCALELAB_CHROMIUM = prev;
    }
  });
});

describe('a damaged run folder gives a clear error, never half a report', () => {
  it('a timeline cut mid-line', () => {
    const { store, dir } = storeWithCopy();
    const file = path.join(dir, 'timeline.ndjson');
    truncateSync(file, readFileSync(file).length - 40);
    expect(() => model(store, SAMPLE)).toThrow(/damaged: timeline\.ndjson line \d+ is cut short/);
    // The console still opens it, keeping every whole second.
    expect(store.open(SAMPLE).timeline.length).toBeGreaterThan(10);
  });

  it('a missing timeline, an unreadable run.json, a corrupt event line, an empty run', () => {
    const a = storeWithCopy();
    rmSync(path.join(a.dir, 'timeline.ndjson'));
    expect(() => model(a.store, SAMPLE)).toThrow(/timeline\.ndjson is missing/);
    const b = storeWithCopy();
    writeFileSync(path.join(b.dir, 'run.json'), '{"id": "x", ');
    expect(() => model(b.store, SAMPLE)).toThrow(/damaged: run\.json cannot be read/);
    const c = storeWithCopy();
    writeFileSync(path.join(c.dir, 'events.ndjson'), '{"t": 1, "kind": "fault"\n', { flag: 'a' });
    expect(() => model(c.store, SAMPLE)).toThrow(/events\.ndjson line \d+/);
    const d = storeWithCopy();
    writeFileSync(path.join(d.dir, 'timeline.ndjson'), '');
    expect(() => model(d.store, SAMPLE)).toThrow(/has no points/);
  });
});

describe('Prometheus and Grafana export', () => {
  it("gives the stack's own Prometheus files (every API instance, the balancer, each database node) and a panel for every console series", () => {
    const t = getPreset('full').topology;
    const files = grafanaFiles(t, '0.0.0-test');
    expect(Object.keys(files).sort()).toEqual([
      'alert-rules.yml',
      'grafana-dashboard.json',
      'prometheus.yml',
      'targets.json',
    ]);
    expect(files['prometheus.yml']).toMatch(/targets\.json/);
    const prom = files['targets.json'] as string;
    for (let i = 1; i <= t.api.instances; i++) expect(prom).toContain(`api-${i}:3000`);
    expect(prom).toContain('lb:8404');
    for (const node of ['db-primary', 'db-replica-1', 'db-replica-2']) expect(prom).toContain(`${node}:9187`);
    const dash = JSON.parse(files['grafana-dashboard.json'] as string);
    const titles = dash.panels.map((p: { title: string }) => p.title);
    for (const want of [
      'Throughput',
      'Latency',
      'Error rate',
      'Cache hit ratio',
      'Replication lag',
      'Stale reads',
      'Requests per API instance',
      'Database queries per node',
      'Database connections',
      'Transactions committed',
      'Locks',
      'CPU',
      'Memory',
    ]) {
      expect(
        titles.some((x: string) => x.startsWith(want)),
        want,
      ).toBe(true);
    }
    const legends = dash.panels.flatMap(
      (p: { targets?: Array<{ legendFormat: string; expr: string }> }) => p.targets ?? [],
    );
    expect(legends.map((l: { legendFormat: string }) => l.legendFormat)).toEqual(
      expect.arrayContaining(['p50', 'p95', 'p99', '{{instance}}', '{{node}}', 'Redis']),
    );
    for (const l of legends)
      expect(l.expr).toMatch(/scalelab_|http_request_duration_seconds|process_|haproxy_|pg_|ALERTS/);
    // No panel is left without a query (the lag panel was a placeholder before postgres_exporter).
    expect(dash.panels.every((p: { type: string }) => p.type === 'timeseries')).toBe(true);
    expect(
      dashboardPanels({ ...t, database: { ...t.database, replicas: 0 } }).some((p) =>
        p.title.startsWith('Replication lag'),
      ),
    ).toBe(false);
  });
});

it('the sample folder is untouched by all this', () => {
  expect(existsSync(path.join(config.samplesDir, SAMPLE, 'timeline.ndjson'))).toBe(true);
});

describe('compose export', () => {
  it("says what compose cannot carry (the autoscaler, a version's regression) and what it runs instead", () => {
    const t = getPreset('autoscaling').topology;
    const stackDir = path.resolve(import.meta.dirname, '../../../stack');
    const images = new Proxy({}, { get: () => 'scalelab/x:1' }) as Parameters<typeof composeFiles>[1]['images'];
    const readme = composeFiles(t, { images, stackDir, appVersion: '0.0.0' })['README.md'] as string;
    expect(readme).toMatch(/autoscaled its API instances \(1 to 4, aiming at CPU at 50% of the limit/);
    expect(readme).toMatch(/runs the 1 instance\(s\) running at\nexport time/);
    const plain = composeFiles(getPreset('three-tier').topology, { images, stackDir, appVersion: '0.0.0' });
    expect(plain['README.md']).not.toMatch(/autoscal/);
    // A version runs the API under its name; HTTPS is published beside the entry.
    const v2 = structuredClone(getPreset('three-tier').topology);
    v2.api.version = 'v2';
    v2.loadBalancer.tls = true;
    const files = composeFiles(v2, { images, stackDir, appVersion: '0.0.0' });
    expect(files['docker-compose.yml']).toMatch(/SCALELAB_VERSION: v2/);
    expect(files['docker-compose.yml']).toMatch(/127\.0\.0\.1:8443:443/);
    expect(files['README.md']).toMatch(/ran version v2/);
  });
});
