// The stack for the tools users already have: the stack's own Prometheus files (the scrape
// configuration, its targets by service, the alert rules: what monitoring.enabled runs) and a
// Grafana dashboard with the console's panels, each drawn from what those targets export. Targets
// are the compose service names, so Prometheus runs on the exported compose network.
import { plan } from '../topology/plan.js';
import { PROMETHEUS_FILE_ENV } from '../topology/plan-monitoring.js';
import { MONITORING_DIR } from '../monitoring/prometheus-config.js';
import type { Topology } from '../topology/schema.js';
import type { ExportFiles } from './compose-export.js';

export interface DashboardPanel {
  title: string;
  unit: string;
  targets: Array<{ expr: string; legendFormat: string }>;
  note?: string;
}

const r = (metric: string, by = '', filter = '') =>
  `sum${by ? ` by (${by})` : ''} (rate(${metric}${filter ? `{${filter}}` : ''}[1m]))`;
const q = (p: number) =>
  `histogram_quantile(${p}, sum by (le) (rate(http_request_duration_seconds_bucket[1m]))) * 1000`;

/** The console's charts (renderer/components/LiveCharts.tsx), as PromQL over the stack's metrics. */
export function dashboardPanels(t: Topology): DashboardPanel[] {
  const panels: DashboardPanel[] = [
    {
      title: 'Throughput (requests/s)',
      unit: 'reqps',
      targets: [{ expr: r('scalelab_http_requests_total'), legendFormat: 'completed' }],
    },
    {
      title: 'Latency (ms)',
      unit: 'ms',
      targets: [0.5, 0.95, 0.99].map((p) => ({ expr: q(p), legendFormat: `p${p * 100}` })),
      note: 'Measured by the API instances (the console measures at the client).',
    },
    {
      title: 'Requests by cache result (per s)',
      unit: 'reqps',
      targets: [{ expr: r('scalelab_cache_results_total', 'result'), legendFormat: '{{result}}' }],
    },
    {
      title: 'Where the time goes: database query p95 (ms)',
      unit: 'ms',
      targets: [
        {
          expr: 'histogram_quantile(0.95, sum by (le, node) (rate(scalelab_db_query_duration_seconds_bucket[1m]))) * 1000',
          legendFormat: '{{node}}',
        },
      ],
    },
    {
      title: 'Error rate',
      unit: 'percentunit',
      targets: [
        {
          expr: `${r('scalelab_http_requests_total', '', 'status=~"5.."')} / ${r('scalelab_http_requests_total')}`,
          legendFormat: 'errors',
        },
      ],
    },
    {
      title: 'Cache hit ratio',
      unit: 'percentunit',
      targets: [
        {
          expr: `${r('scalelab_cache_operations_total', '', 'result="hit"')} / ${r('scalelab_cache_operations_total', '', 'result=~"hit|miss"')}`,
          legendFormat: 'Redis',
        },
      ],
    },
    {
      title: 'Stale reads (per s)',
      unit: 'short',
      targets: [{ expr: r('scalelab_stale_reads_total'), legendFormat: 'stale reads' }],
    },
    {
      title: 'Write-behind: orders acknowledged from the queue, flushed, written directly (per s)',
      unit: 'short',
      targets: [{ expr: r('scalelab_write_behind_total', 'state'), legendFormat: '{{state}}' }],
    },
    {
      title: 'Requests per API instance (per s)',
      unit: 'reqps',
      targets: [{ expr: r('scalelab_http_requests_total', 'instance'), legendFormat: '{{instance}}' }],
    },
    {
      title: 'Database queries per node (per s)',
      unit: 'short',
      targets: [{ expr: r('scalelab_db_queries_total', 'node'), legendFormat: '{{node}}' }],
    },
    {
      title: 'CPU per API instance (% of a core)',
      unit: 'percent',
      targets: [
        {
          expr: 'sum by (instance) (rate(process_cpu_seconds_total{job="api"}[1m])) * 100',
          legendFormat: '{{instance}}',
        },
      ],
    },
    {
      title: 'Memory per API instance (MB)',
      unit: 'decmbytes',
      targets: [
        {
          expr: 'sum by (instance) (process_resident_memory_bytes{job="api"}) / 1048576',
          legendFormat: '{{instance}}',
        },
      ],
    },
  ];
  if (t.loadBalancer.enabled) {
    panels.push({
      title: 'Load balancer: responses per backend server (per s)',
      unit: 'reqps',
      targets: [{ expr: r('haproxy_server_http_responses_total', 'server'), legendFormat: '{{server}}' }],
    });
  }
  // postgres_exporter, beside every database node.
  panels.push(
    {
      title: 'Database connections by node',
      unit: 'short',
      targets: [
        { expr: 'sum by (instance) (pg_stat_activity_count{datname="scalelab"})', legendFormat: '{{instance}}' },
      ],
    },
    {
      title: 'Transactions committed per node (per s)',
      unit: 'ops',
      targets: [
        {
          expr: 'sum by (instance) (rate(pg_stat_database_xact_commit{datname="scalelab"}[30s]))',
          legendFormat: '{{instance}}',
        },
      ],
    },
    {
      title: 'Locks held by node',
      unit: 'short',
      targets: [{ expr: 'sum by (instance) (pg_locks_count{datname="scalelab"})', legendFormat: '{{instance}}' }],
    },
  );
  if (t.database.replicas > 0) {
    panels.push({
      title: 'Replication lag (s)',
      unit: 's',
      // stack/db/exporter-queries.yaml: each replica's replay lag, 0 while nothing waits to be replayed.
      targets: [
        {
          expr: 'max by (instance) (scalelab_replication_lag_seconds{instance=~"db-replica-.*"})',
          legendFormat: '{{instance}}',
        },
      ],
      note: 'Measured by each replica (postgres_exporter): seconds since its last replayed commit while WAL waits.',
    });
  }
  panels.push({
    title: 'Alerts firing',
    unit: 'short',
    targets: [{ expr: 'count by (alertname) (ALERTS{alertstate="firing"})', legendFormat: '{{alertname}}' }],
    note: "The stack's alert rules (alert-rules.yml), as Prometheus evaluates them.",
  });
  return panels;
}

function dashboard(t: Topology, appVersion: string): object {
  const panels = dashboardPanels(t).map((p, i) => ({
    id: i + 1,
    type: p.targets.length ? 'timeseries' : 'text',
    title: p.title,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    ...(p.targets.length
      ? {
          datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
          fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
          targets: p.targets.map((tg, j) => ({
            refId: String.fromCharCode(65 + j),
            expr: tg.expr,
            legendFormat: tg.legendFormat,
          })),
          ...(p.note ? { description: p.note } : {}),
        }
      : { options: { mode: 'markdown', content: p.note ?? '' } }),
  }));
  return {
    __inputs: [
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    title: 'ScaleLab stack',
    uid: 'scalelab-stack',
    tags: ['scalelab'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    description: `Exported by ScaleLab ${appVersion}`,
    panels,
  };
}

export function grafanaFiles(t: Topology, appVersion: string): ExportFiles {
  // The files the stack's own Prometheus runs with (monitoring.enabled), whether it is on or not.
  const monitored: Topology = { ...t, monitoring: { ...t.monitoring, enabled: true } };
  const prometheus = plan(monitored, { adminToken: '', dbPassword: '' }).find((s) => s.role === 'prometheus')!;
  const files: ExportFiles = Object.fromEntries(
    Object.entries(PROMETHEUS_FILE_ENV).map(([file, key]) => [file, prometheus.env[key]]),
  );
  files['prometheus.yml'] =
    `# ScaleLab ${appVersion}: run Prometheus on the stack's compose network with this folder at ${MONITORING_DIR}.\n${files['prometheus.yml'] as string}`;
  files['grafana-dashboard.json'] = `${JSON.stringify(dashboard(t, appVersion), null, 2)}\n`;
  return files;
}
