// The alert rules Prometheus evaluates, made from the topology's thresholds: the guide's (more than
// 5% of requests failing, a p95 over 1 s), a scrape target down, replication lag, a cold cache.
// Written as Prometheus's own rules file, so `promtool check rules` reads it and a user can take
// it home and edit it.
import { stringify } from 'yaml';
import type { Topology } from '../topology/schema.js';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'page' | 'ticket' };
  annotations: { summary: string; description: string };
}

/** The window each rate is taken over: several scrapes, so one slow scrape does not decide. */
export const rateWindow = (t: Topology) => `${Math.max(10, 5 * t.monitoring.scrapeSeconds)}s`;

const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;

export function alertRules(t: Topology): AlertRule[] {
  const a = t.monitoring.alerts;
  const w = rateWindow(t);
  const forTime = `${a.forSeconds}s`;
  const requests = (filter = '') => `sum(rate(scalelab_http_requests_total${filter}[${w}]))`;
  const rules: AlertRule[] = [
    {
      alert: 'HighErrorRate',
      expr: `${requests('{status=~"5.."}')} / ${requests()} > ${a.errorRate}`,
      for: forTime,
      labels: { severity: 'page' },
      annotations: {
        summary: `More than ${pct(a.errorRate)} of requests failed (5xx, over ${w})`,
        description: "{{ $value | humanizePercentage }} of the API instances' responses were 5xx.",
      },
    },
    {
      alert: 'HighLatencyP95',
      expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[${w}]))) * 1000 > ${a.p95Ms}`,
      for: forTime,
      labels: { severity: 'page' },
      annotations: {
        summary: `p95 latency above ${a.p95Ms} ms (measured by the API instances, over ${w})`,
        description: 'p95 is {{ $value | humanize }} ms.',
      },
    },
    {
      alert: 'TargetDown',
      expr: 'up == 0',
      for: forTime,
      labels: { severity: 'page' },
      annotations: {
        summary: '{{ $labels.instance }} ({{ $labels.job }}) does not answer its scrape',
        description: 'Prometheus could not scrape {{ $labels.instance }} for ' + forTime + '.',
      },
    },
  ];
  if (t.database.replicas > 0)
    rules.push({
      alert: 'ReplicationLag',
      // Each replica's replay lag (stack/db/exporter-queries.yaml: 0 while nothing waits to be
      // replayed, so an idle primary raises nothing).
      expr: `scalelab_replication_lag_seconds > ${a.lagSeconds}`,
      for: forTime,
      labels: { severity: 'ticket' },
      annotations: {
        summary: `{{ $labels.instance }} is more than ${a.lagSeconds} s behind the primary`,
        description: 'Replay lag {{ $value | humanize }} s: reads there return old data.',
      },
    });
  if (t.cache.enabled)
    rules.push({
      alert: 'CacheHitRatioLow',
      expr:
        `sum(rate(scalelab_cache_operations_total{result="hit"}[${w}])) / ` +
        `sum(rate(scalelab_cache_operations_total{result=~"hit|miss"}[${w}])) < ${a.hitRatioBelow}`,
      for: forTime,
      labels: { severity: 'ticket' },
      annotations: {
        summary: `Redis hit ratio below ${pct(a.hitRatioBelow)} (over ${w})`,
        description: 'Hit ratio {{ $value | humanizePercentage }}: most reads go on to the database.',
      },
    });
  return rules;
}

/** The rules file Prometheus gets: the user's own, or the one made from the thresholds. */
export function alertRulesYaml(t: Topology): string {
  if (t.monitoring.rules !== null) return t.monitoring.rules;
  return `# ScaleLab's alert rules, made from topology.monitoring.alerts. Check: promtool check rules FILE\n${stringify(
    { groups: [{ name: 'scalelab', rules: alertRules(t) }] },
    { lineWidth: 0 },
  )}`;
}
