// The console against the real engine and a real Docker stack, in browser mode (Debian's
// Chromium) and in the Electron app where its binary exists: bring it up from the UI, run load,
// switch the cache on, kill an instance, compare runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { chromiumAvailable, CHROMIUM } from './fixtures/console.js';
import { seriousViolations } from './fixtures/axe.js';
import { HOSTS, type HostFixture } from './fixtures/hosts.js';
import Docker from 'dockerode';
import { stackFilter } from '../app/core/runtime/names.js';
import { LabPageObject } from './pages/lab-page.js';

const docker = new Docker();

const required = process.env.SCALELAB_REQUIRE_DOCKER === '1';
if (!chromiumAvailable()) {
  if (required)
    throw new Error(`e2e needs Chromium at ${CHROMIUM}: apt-get install -y chromium (or set SCALELAB_CHROMIUM)`);
  console.warn(`*** e2e SKIPPED: no Chromium at ${CHROMIUM}`);
}

describe.each(HOSTS)('console ($name)', (host) => {
  describe.skipIf(!host.available || !inject('dockerAvailable'))('against the real stack', () => {
    let c: HostFixture;
    let ui: LabPageObject;
    beforeAll(async () => {
      c = await host.open('t-e2e');
      ui = new LabPageObject(c.page);
    });
    afterAll(async () => {
      await c?.close();
    });

    it('brings a stack up from the UI, with a progress bar per service', async () => {
      await ui.choosePreset('app-cache');
      await ui.setNumber('ports.entry', 0);
      await ui.setNumber('ports.edge', 0);
      await ui.setChecked('cache.enabled', false);
      await ui.setChecked('edgeCache.enabled', false);
      await ui.bringUp();
      for (const s of ['lb', 'api-1', 'api-2', 'api-3', 'db-primary'])
        await expect(ui.node(s).getAttribute('data-state')).resolves.toBe('running');
      expect(await c.page.locator('[data-testid="progress"] .phase-ready').count()).toBeGreaterThanOrEqual(5);
      await c.shot('stack-view');
    });

    it('starts a workload and the charts receive a point a second; the cache switched on raises the hit ratio', async () => {
      await ui.startLoad('read-heavy', 60);
      await ui.waitForPoints(4);
      expect(await ui.figure('rps')).toBeGreaterThan(10);
      expect(await ui.figure('errors')).toBeLessThan(1);
      expect(Number.isNaN(await ui.figure('hit-ratio')) || (await ui.figure('hit-ratio')) < 0.2).toBe(true);
      await ui.setChecked('cache.enabled', true);
      await expect(c.page.locator('[data-testid="changes"]')).toBeTruthy();
      await ui.apply();
      const hit = await ui.waitForFigure('hit-ratio', (v) => v > 0.5, 40_000);
      expect(hit).toBeGreaterThan(0.5);
      // The switch is a marker on the charts.
      await ui.waitForMarker('cache.enabled', 10_000);
      await c.shot('run-view');
    });

    it.skipIf(host.name !== 'browser mode')(
      'has no serious or critical accessibility violations with a stack and a run on screen (axe-core)',
      async () => {
        expect(await seriousViolations(c.page)).toEqual([]);
      },
    );

    it('kills an API instance from its menu in the graph: the marker appears and the instance turns red', async () => {
      // A fresh run, so the fault lands inside one: on a busy machine the previous run's minute
      // can be over by now, and a fault outside a run is no marker on its charts.
      if (await c.page.locator('[data-testid="run-stop"]').count()) await ui.stopLoad();
      await ui.startLoad('read-heavy', 60);
      await ui.waitForPoints(3);
      // The graph's edges carry the traffic measured on them: the balancer's share to api-2.
      await expect.poll(() => c.page.locator('[data-testid="edge-lb-api-2"]').textContent()).toMatch(/^\d+\/s$/);
      await ui.fault('api-2', 'kill');
      await c.page.waitForSelector('[data-testid="node-api-2"][data-state="exited"]', { timeout: 15_000 });
      await expect(ui.node('api-2').getAttribute('class')).resolves.toMatch(/node-bad/);
      await ui.waitForMarker('kill api-2', 10_000);
      await c.shot('fault');
      await ui.stopLoad();
    });

    it('does any action by name from the command palette: a fault, then the switch back', async () => {
      const palette = async (text: string, id: string) => {
        await c.page.keyboard.press('Control+k');
        await c.page.locator('[data-testid="palette"] [cmdk-input]').fill(text);
        await c.page.locator(`[data-testid="cmd-${id}"]`).click();
        await c.page.locator('[data-testid="palette"]').waitFor({ state: 'detached' });
      };
      await palette('start api-2', 'fault-api-2-start');
      await c.page.waitForSelector('[data-testid="node-api-2"][data-state="running"][data-health="healthy"]', {
        timeout: 60_000,
      });
      await palette('cache off', 'set-cache.enabled');
      await c.page.waitForSelector('[data-testid="node-cache"]', { state: 'detached', timeout: 30_000 });
      await palette('cache on', 'set-cache.enabled');
      await c.page.waitForSelector('[data-testid="node-cache"]', { timeout: 60_000 });
      await c.page.locator('.sidebar .brand').click();
      await c.page.keyboard.press('?');
      await c.page.locator('[data-testid="shortcuts"]').waitFor();
      await c.shot('shortcuts');
      await c.page.keyboard.press('Escape');
    });

    it('explains the expensive read, switches its indexes on live, and shows the plan before and now', async () => {
      await c.page.locator('[data-testid="explain"]').click();
      await expect
        .poll(() => c.page.locator('[data-testid="plan-latest"]').textContent(), { timeout: 20_000 })
        .toMatch(/Execution Time: [\d.]+ ms/);
      await ui.setChecked('database.indexes', true);
      await ui.apply();
      await c.page.locator('[data-testid="explain"]').click();
      await c.page.locator('[data-testid="plan-previous"]').waitFor({ timeout: 20_000 });
      // On the small test data set the planner may still read the tables whole: what is checked
      // here is the card (two plans, the switch applied live); the Docker test checks the plan.
      await expect(c.page.locator('[data-testid="plan-latest"]').textContent()).resolves.toMatch(/Execution Time/);
      await expect(c.page.locator('[data-testid="plan-previous"]').textContent()).resolves.toMatch(/^before/);
      await expect(c.page.locator('[data-testid="query-plan"]').textContent()).resolves.toMatch(/Its indexes are on/);
      await c.shot('query-plan');
    });

    it('opens history and compares two runs', async () => {
      await ui.startLoad('read-heavy', 60);
      await ui.waitForPoints(3);
      await ui.stopLoad();
      await ui.openHistory();
      // This run, the fault's and the cache's.
      expect(await c.page.locator('[data-testid^="run-2"]:not([data-sample="true"])').count()).toBe(3);
      await ui.compareFirstTwo();
      await expect(c.page.locator('[data-testid="comparison"]').textContent()).resolves.toMatch(/p95 latency/);
      await c.shot('history-compare');
    });

    it('finds the knee from the run controls with short steps: each step judged in the Sweep table, then the knee', async () => {
      await ui.openLab();
      await ui.choose('workload', 'cpu-bound');
      await c.page.locator('[data-testid="sweep-objective"]').fill('p(95)<60');
      await c.page.locator('[data-testid="sweep-step"]').fill('4');
      await c.page.locator('[data-testid="sweep-start"]').click();
      // Steps of 4 s from 50/s, half again each, until p95 passes 60 ms, then two bisections. On a
      // slow runner the first step may already break: then the knee is none, and it says so.
      const sweep = c.page.locator('[data-testid="report-sweep"]');
      await sweep.waitFor({ timeout: 30_000 });
      await c.page
        .locator('text=/Knee: (none \\(the first step broke\\)|\\d+ requests\\/s); ended because/')
        .waitFor({ timeout: 150_000 });
      expect(await sweep.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
      await expect(sweep.locator('tbody').textContent()).resolves.toMatch(
        /held|objective broke|errors broke|generator behind/,
      );
      await c.page.waitForSelector('[data-testid="run-start"]', { timeout: 30_000 });
      await c.shot('sweep');
    });

    it('workshop: keys move between lessons, one click sets a lesson up and starts its workload, its check turns green on the real stack, presenter mode for the projector', async () => {
      await ui.openLab();
      await ui.openWorkshop();
      await expect(ui.lessonTitle()).resolves.toMatch(/^Chapter 1: One server/);
      // Chapter 1 has two lessons (a baseline, scaling up), chapter 2 one.
      for (let i = 0; i < 3; i++) await ui.key('n');
      await expect.poll(() => ui.lessonTitle()).toMatch(/^Chapter 3: Horizontal scaling/);
      // Stage 3 is load-balanced: the running app-cache stack loses its cache, live, and load starts.
      await ui.setUpLesson();
      await c.page.waitForSelector('[data-testid="run-state"]:has-text("running")', { timeout: 90_000 });
      await c.page.waitForSelector('[data-testid="node-cache"]', { state: 'detached', timeout: 30_000 });
      await expect(c.page.locator('[data-testid^="node-api-"]').count()).resolves.toBe(3);
      // The controls follow the stack they now show: nothing is left pending to apply.
      await c.page.waitForSelector('[data-testid="changes"]', { state: 'detached', timeout: 10_000 });
      await expect(c.page.locator('[data-testid="field-cache.enabled"]').isChecked()).resolves.toBe(false);
      // Three instances serving 80 requests/s with under 1% errors for 10 s: the lesson's check passes,
      // on the stack's own figures, and the pass is kept with what it read.
      await c.page.waitForSelector('[data-testid="lesson-check"][data-status="passed"]', { timeout: 60_000 });
      await expect(c.page.locator('[data-testid="course-progress"]').textContent()).resolves.toBe(
        '1 of 29 lessons passed',
      );
      const kept = (await c.lab.api.course.get()).progress.lessons['balancer.scale-out'];
      expect(kept.observed!['instances serving']).toBeGreaterThanOrEqual(3);
      await c.shot('workshop-check-passed');
      await ui.key('f');
      await expect(c.page.locator('.app').getAttribute('class')).resolves.toMatch(/presenter/);
      await c.shot('workshop-presenter');
      await ui.key('s');
      await c.page.waitForSelector('[data-testid="run-start"]', { timeout: 30_000 });
      await ui.key('f');
      await expect(c.page.locator('.app').getAttribute('class')).resolves.not.toMatch(/presenter/);
    });

    it('a console restarted while its stack runs finds the stack and adopts it, starting no second one', async () => {
      const containers = async () =>
        (
          await docker.listContainers({
            all: true,
            filters: stackFilter(host.name === 'Electron' ? 't-e2e-electron' : 't-e2e'),
          })
        )
          .map((x) => x.Id)
          .sort();
      const before = await containers();
      expect(before.length).toBeGreaterThanOrEqual(4);
      await c.detach();
      c = await host.open('t-e2e');
      ui = new LabPageObject(c.page);
      await c.page.waitForSelector('[data-testid="stack-state"]:has-text("is up")', { timeout: 20_000 });
      for (const s of ['lb', 'api-1', 'api-3', 'db-primary'])
        await expect(ui.node(s).getAttribute('data-state')).resolves.toBe('running');
      // It offers changes to the running stack, not a second bring-up; the same containers run.
      await expect(c.page.locator('[data-testid="stack-up"]').count()).resolves.toBe(0);
      await expect(c.page.locator('[data-testid="field-api.instances"]').inputValue()).resolves.toBe('3');
      expect(await containers()).toEqual(before);
    });

    it('switches high availability on, runs a failover drill from its card, and the graph shows the new leader', async () => {
      await ui.setNumber('database.replicas', 1);
      await ui.setChecked('database.ha', true);
      await ui.apply();
      for (const s of ['etcd-1', 'db-router', 'db-primary', 'db-replica-1'])
        await expect(ui.node(s).getAttribute('data-state')).resolves.toBe('running');
      await ui.startLoad('mixed', 30);
      // The graph names the leader once the collector has read Patroni's cluster.
      await expect.poll(() => ui.node('db-primary').textContent(), { timeout: 30_000 }).toMatch(/leader/);
      await c.page.locator('[data-testid="drill-failover"]').click();
      const result = c.page.locator('[data-testid="drill-result"]');
      await result.waitFor({ timeout: 120_000 });
      await expect(result.textContent()).resolves.toMatch(/db-primary → db-replica-1/);
      await expect(result.locator('[data-figure="write outage (RTO)"]').textContent()).resolves.toMatch(/^\d+\.\d s$/);
      await expect.poll(() => ui.node('db-replica-1').textContent(), { timeout: 30_000 }).toMatch(/leader/);
      await c.shot('ha-drill');
      await ui.stopLoad();
    });

    it('shards the orders over two primaries under load: the orders move, and the shard card says what moved', async () => {
      // Sharding runs without Patroni and replicas: back to a single primary first.
      await ui.setChecked('database.ha', false);
      await ui.setNumber('database.replicas', 0);
      await ui.apply();
      await ui.startLoad('sharded', 30);
      await ui.setNumber('database.shards', 2);
      await ui.apply();
      await expect(ui.node('db-shard-1').getAttribute('data-state')).resolves.toBe('running');
      const figures = c.page.locator('[data-testid="rebalance-figures"]');
      await figures.waitFor({ timeout: 30_000 });
      await expect(figures.textContent()).resolves.toMatch(/1 shard by hash → 2 shards by hash/);
      await expect(figures.textContent()).resolves.toMatch(/left misplaced0/);
      // Both shards take queries: the graph's node and the card's busiest-over-mean figure.
      await expect
        .poll(() => ui.node('db-shard-1').textContent(), { timeout: 30_000 })
        .toMatch(/shard · [1-9]\d* q\/s/);
      await expect
        .poll(async () => Number(await c.page.locator('[data-testid="shard-skew"]').textContent()), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await c.shot('sharding');
      await ui.stopLoad();
    });

    it('deploys the next version blue-green from the palette under load: its steps are markers, every instance on v2', async () => {
      await c.lab.api.stack.buildVersion({ name: 'v2' });
      await ui.startLoad('read-heavy', 60);
      await ui.waitForPoints(3);
      await c.page.keyboard.press('Control+k');
      await c.page.locator('[data-testid="palette"] [cmdk-input]').fill('v2 (blue-green)');
      await c.page.locator('[data-testid="cmd-deploy-v2-blue-green"]').click();
      // The second set beside the first, then the switch, as markers; then the stack's places on v2.
      await ui.waitForMarker('every request to v2', 60_000);
      for (const s of ['api-1', 'api-2', 'api-3'])
        await expect
          .poll(() => c.page.locator(`[data-testid="node-version-${s}"]`).textContent(), { timeout: 60_000 })
          .toBe('v2');
      await ui.waitForMarker('done, every instance on v2', 60_000);
      expect(await ui.figure('errors')).toBeLessThan(1);
      await c.shot('deploy');
      await ui.stopLoad();
    });

    it('watches the stack with its own Prometheus: a query answers, an instance killed fires its alert, started again resolves it', async () => {
      await ui.setChecked('monitoring.enabled', true);
      await ui.setNumber('monitoring.alerts.forSeconds', 3);
      await ui.apply();
      await c.page.locator('[data-testid="monitoring-card"]').waitFor({ timeout: 30_000 });
      await c.page.locator('[data-testid="promql"]').fill('count(up == 1)');
      // Asked again until Prometheus has scraped its targets a first time.
      await expect
        .poll(
          async () => {
            await c.page.locator('[data-testid="promql-run"]').click();
            return c.page.locator('[data-testid="promql-answer"]').textContent({ timeout: 5000 });
          },
          { timeout: 30_000 },
        )
        .toMatch(/^value: \d+$/);
      // Charted: the engine asks it each second of the run, a chart of its own beside the others.
      await c.page.locator('[data-testid="promql-chart"]').click();
      await c.page.locator('[data-testid="charted-queries"]').waitFor({ timeout: 30_000 });
      await ui.startLoad('read-heavy', 60);
      await ui.waitForPoints(3);
      await ui.fault('api-2', 'kill');
      await c.page.waitForSelector('[data-testid="alert-row"] :text("TargetDown")', { timeout: 30_000 });
      await ui.waitForMarker('alert firing: TargetDown (api-2)', 10_000);
      expect(await ui.figure('alerts')).toBeGreaterThanOrEqual(1);
      await c.page.locator('[data-testid="chart-query-0"]').waitFor({ timeout: 10_000 });
      await c.page.evaluate('window.scrollTo(0, 0)');
      await ui.waitForMarker('alert firing: TargetDown (api-2)');
      await c.shot('alerts');
      await c.page.keyboard.press('Control+k');
      await c.page.locator('[data-testid="palette"] [cmdk-input]').fill('start api-2');
      await c.page.locator('[data-testid="cmd-fault-api-2-start"]').click();
      await c.page.waitForSelector('[data-testid="node-api-2"][data-state="running"][data-health="healthy"]', {
        timeout: 60_000,
      });
      // In the list of the run's switches and faults (the chart's own label may sit under a neighbour's).
      await c.page.waitForSelector('[data-testid="markers"] :text("alert resolved: TargetDown (api-2)")', {
        timeout: 30_000,
      });
      await c.page.locator('[data-testid="alert-row"]').waitFor({ state: 'detached', timeout: 10_000 });
      await ui.stopLoad();
    });
  });
});
