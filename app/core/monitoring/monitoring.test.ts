import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { plan } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology } from '../topology/schema.js';
import { alertRules, alertRulesYaml } from './alert-rules.js';
import { AlertTracker, parseAlerts } from './alerts.js';
import { scrapeTargets } from './prometheus-config.js';

const ctx = { adminToken: 'a', dbPassword: 'b', redisPassword: 'c' };
const monitored = parseTopology({ ...getPreset('full').topology, monitoring: { enabled: true } });

describe('the stack monitored', () => {
  it('adds Prometheus, Alertmanager and a Redis exporter, and scrapes every part that exports metrics', () => {
    const specs = plan(monitored, ctx);
    expect(specs.slice(-3).map((s) => s.name)).toEqual(['redis-exporter', 'alertmanager', 'prometheus']);
    const targets = JSON.parse(specs.find((s) => s.name === 'prometheus')!.env.TARGETS_JSON);
    expect(targets).toEqual(scrapeTargets(specs));
    expect(targets.map((g: { labels: { instance: string } }) => g.labels.instance)).toEqual([
      'db-primary',
      'db-replica-1',
      'db-replica-2',
      'api-1',
      'api-2',
      'api-3',
      'lb',
      'redis-exporter',
      'alertmanager',
      'prometheus',
    ]);
    expect(targets.find((g: { labels: { job: string } }) => g.labels.job === 'postgres').targets).toEqual([
      'db-primary:9187',
    ]);
    // No monitoring, nothing added; no cache, no Redis exporter and no rule on its hit ratio.
    expect(plan(parseTopology(getPreset('full').topology), ctx).some((s) => s.role === 'prometheus')).toBe(false);
    const noCache = parseTopology({ ...monitored, cache: { ...monitored.cache, enabled: false } });
    expect(plan(noCache, ctx).some((s) => s.role === 'redis-exporter')).toBe(false);
    expect(alertRules(noCache).map((r) => r.alert)).not.toContain('CacheHitRatioLow');
  });

  it("writes the guide's rules from the thresholds, with the rate window following the scrape interval", () => {
    const t = parseTopology({
      ...monitored,
      monitoring: { enabled: true, scrapeSeconds: 5, alerts: { errorRate: 0.02, p95Ms: 300, forSeconds: 30 } },
    });
    const rules = alertRules(t);
    expect(rules.map((r) => r.alert)).toEqual([
      'HighErrorRate',
      'HighLatencyP95',
      'TargetDown',
      'ReplicationLag',
      'CacheHitRatioLow',
    ]);
    expect(rules[0].expr).toBe(
      'sum(rate(scalelab_http_requests_total{status=~"5.."}[25s])) / sum(rate(scalelab_http_requests_total[25s])) > 0.02',
    );
    expect(rules[1].expr).toContain('> 300');
    expect(rules.every((r) => r.for === '30s')).toBe(true);
    expect(rules[0].annotations.summary).toBe('More than 2% of requests failed (5xx, over 25s)');
    // Prometheus's own format: one group of rules.
    expect(parse(alertRulesYaml(t)).groups[0].rules).toHaveLength(5);
    expect(() => parseTopology({ monitoring: { alerts: { errorRate: 2 } } })).toThrow(/monitoring.alerts.errorRate/);
  });
});

describe('alerts from Alertmanager', () => {
  const am = (fp: string, name: string, instance?: string) => ({
    fingerprint: fp,
    startsAt: '2026-11-26T10:00:00.000Z',
    labels: { alertname: name, severity: 'page', ...(instance ? { instance } : {}) },
    annotations: { summary: `${name} summary` },
    status: { state: 'active' },
  });

  it('turns each alert that appears into a firing marker and each that goes into a resolved one', () => {
    const tracker = new AlertTracker();
    const first = tracker.see(parseAlerts([am('1', 'TargetDown', 'api-2')]), 1000);
    expect(first).toEqual([
      {
        label: 'alert firing: TargetDown (api-2)',
        marker: {
          state: 'firing',
          name: 'TargetDown',
          instance: 'api-2',
          severity: 'page',
          summary: 'TargetDown summary',
          at: Date.parse('2026-11-26T10:00:00.000Z'),
        },
      },
    ]);
    expect(tracker.see(parseAlerts([am('1', 'TargetDown', 'api-2'), am('2', 'HighErrorRate')]), 2000)).toHaveLength(1);
    expect(tracker.firing).toBe(2);
    const gone = tracker.see(parseAlerts([am('2', 'HighErrorRate')]), 3000);
    expect(gone.map((g) => [g.label, g.marker.at])).toEqual([['alert resolved: TargetDown (api-2)', 3000]]);
    expect(() => parseAlerts([{ labels: {} }])).toThrow();
  });
});
