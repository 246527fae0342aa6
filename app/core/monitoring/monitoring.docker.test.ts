// The stack's own monitoring on a real engine: Debian's Prometheus scraping every part (the API
// instances, HAProxy, postgres_exporter on each node, redis_exporter, Alertmanager, itself), the
// alert rules checked by promtool, a killed instance firing its alert within the rule's `for:` and
// resolving once back, a replica held behind firing the lag rule, each a marker of the run.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AlertMarker, RunEvent } from '../../contract/runs.js';
import { FAMILY, namesIn, SERIES } from '../../contract/series.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, sleep, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-monitor';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-monitor-'));
const FOR_SECONDS = 3;

describeDocker('monitoring: Prometheus, Alertmanager and the alert rules', () => {
  let lab: Lab;
  const events: RunEvent[] = [];

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    lab.on('run.event', (e) => events.push(e));
    await lab.api.stack.up({
      topology: testTopology('read-replicas', (t) => {
        t.api.instances = 2;
        t.database.replicas = 1;
        t.edgeCache.enabled = false;
        // db-replica-1 replays three seconds late: the lag rule (over one second) fires under writes.
        t.database.replicaApplyDelayMs = 3000;
        t.monitoring = {
          enabled: true,
          scrapeSeconds: 1,
          alerts: { errorRate: 0.5, p95Ms: 5000, lagSeconds: 1, hitRatioBelow: 0, forSeconds: FOR_SECONDS },
          rules: null,
          // Charted during the run: the targets up, and each API instance's requests a second.
          queries: ['count(up == 1)', 'sum by (instance) (rate(scalelab_http_requests_total[5s]))'],
        };
      }),
    });
  }, 300_000);
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  /** Polls `fn` every half second until it gives something, or fails after `ms`. */
  async function until<T>(what: string, ms: number, fn: () => Promise<T | null | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn().catch(() => null);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
      await sleep(500);
    }
  }
  const marker = (label: string) => events.find((e) => e.kind === 'alert' && e.label === label);

  it('scrapes every part of the stack, each target up', async () => {
    const targets = await until('every target up', 30_000, async () => {
      const t = await lab.api.monitoring.targets();
      return t.length && t.every((x) => x.health === 'up') ? t : null;
    });
    expect(targets.map((t) => `${t.job} ${t.instance}`).sort()).toEqual([
      'alertmanager alertmanager',
      'api api-1',
      'api api-2',
      'haproxy lb',
      'postgres db-primary',
      'postgres db-replica-1',
      'prometheus prometheus',
      'redis redis-exporter',
    ]);
    // The same in PromQL, as a user would ask it; and the exporters read their services.
    const up = await lab.api.monitoring.query({ expr: 'count(up == 1)' });
    expect(up.series[0].value).toBe(8);
    const redis = await lab.api.monitoring.query({ expr: 'redis_up' });
    expect(redis.series.map((s) => s.value)).toEqual([1]);
    await expect(lab.api.monitoring.query({ expr: 'rate(up[' })).rejects.toThrow(/Prometheus refused the query/);
  }, 60_000);

  it('checks rules with promtool: the made ones pass, a broken file is refused and changes nothing', async () => {
    const made = await lab.api.monitoring.rules();
    expect(made.custom).toBe(false);
    const check = await lab.api.monitoring.checkRules({ yaml: made.yaml });
    expect(check).toEqual({ ok: true, output: expect.stringMatching(/SUCCESS: 5 rules found/) });
    const broken = 'groups:\n  - name: mine\n    rules:\n      - alert: Broken\n        expr: rate(up[\n';
    expect((await lab.api.monitoring.checkRules({ yaml: broken })).ok).toBe(false);
    await expect(lab.api.monitoring.setRules({ yaml: broken })).rejects.toThrow(/promtool refused/);
    expect(await lab.api.monitoring.rules()).toEqual(made);
    // A file of the user's own: Prometheus evaluates it at once (no restart), then the made ones again.
    const mine = 'groups:\n  - name: mine\n    rules:\n      - alert: AlwaysOn\n        expr: vector(1) > 0\n';
    await lab.api.monitoring.setRules({ yaml: mine });
    expect(await lab.api.monitoring.rules()).toEqual({ yaml: mine, custom: true });
    await until('AlwaysOn firing', 20_000, async () =>
      (await lab.api.monitoring.alerts()).find((a) => a.name === 'AlwaysOn'),
    );
    await lab.api.monitoring.setRules({ yaml: null });
    await until('AlwaysOn resolved', 20_000, async () =>
      (await lab.api.monitoring.alerts()).every((a) => a.name !== 'AlwaysOn') ? true : null,
    );
  }, 90_000);

  it('a killed instance fires its alert within the rule, resolves once back; a late replica fires the lag rule', async () => {
    const workloads = await lab.api.load.workloads();
    const w = structuredClone(workloads.find((x) => x.name === 'write-heavy')!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate: 20, durationSeconds: 90 };
    const run = await lab.api.load.start({ workload: w });
    try {
      const lag = await until('the lag alert', 40_000, async () =>
        marker('alert firing: ReplicationLag (db-replica-1)'),
      );
      const killedAt = Date.now();
      await lab.api.stack.fault({ service: 'api-2', kind: 'kill' });
      const fired = await until('the down alert', 30_000, async () => marker('alert firing: TargetDown (api-2)'));
      const firedAfter = (fired.t - killedAt) / 1000;
      // Within its `for:`, the scrapes that notice and Alertmanager's wait, and the engine's second.
      expect(firedAfter).toBeGreaterThanOrEqual(FOR_SECONDS);
      expect(firedAfter).toBeLessThan(FOR_SECONDS + 8);
      const startedAt = Date.now();
      await lab.api.stack.fault({ service: 'api-2', kind: 'start' });
      const resolved = await until('resolved', 30_000, async () => marker('alert resolved: TargetDown (api-2)'));
      console.log(
        `monitoring: lag alert ${((lag.t - run.createdAt) / 1000).toFixed(1)} s into the run; api-2 down fired ${firedAfter.toFixed(1)} s after the kill (for: ${FOR_SECONDS} s), resolved ${((resolved.t - startedAt) / 1000).toFixed(1)} s after it started`,
      );
      expect((fired.detail as AlertMarker).severity).toBe('page');
    } finally {
      await lab.api.load.stop();
      await lab.runDone();
    }
    const data = await lab.api.runs.open({ id: run.id });
    const labels = data.events.filter((e) => e.kind === 'alert').map((e) => e.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'alert firing: ReplicationLag (db-replica-1)',
        'alert firing: TargetDown (api-2)',
        'alert resolved: TargetDown (api-2)',
      ]),
    );
    expect(Math.max(...data.timeline.map((p) => p.v[SERIES.alertsFiring] ?? 0))).toBeGreaterThanOrEqual(2);
    // The charted queries, asked each second: every target up at the start; requests per instance.
    const targetsUp = data.timeline.map((p) => p.v[FAMILY.query.key('0')]).filter((v) => typeof v === 'number');
    expect(targetsUp.length).toBeGreaterThan(10);
    expect(Math.max(...targetsUp)).toBe(8);
    expect(Math.min(...targetsUp)).toBe(7);
    const perInstance = namesIn(data.timeline, FAMILY.query, 1000).filter((n) => n.startsWith('1-'));
    expect(perInstance).toEqual(['1-api-1', '1-api-2']);
  }, 180_000);
});
