// What the stack's Prometheus scrapes and how, purely: one target per service that exports
// metrics (each API instance, HAProxy's exporter, postgres_exporter beside each database node,
// redis_exporter, etcd, Prometheus and Alertmanager themselves), named by service, and the
// configuration files that go with them. The same files run in the stack and in the compose export.
import { stringify } from 'yaml';
import { SERVICE } from '../../contract/services.js';
import { API_PORT, type ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import { alertRulesYaml } from './alert-rules.js';

/** Where the files live in the Prometheus container (and are mounted from in the compose export). */
export const MONITORING_DIR = '/etc/scalelab';
export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
export const REDIS_EXPORTER_PORT = 9121;

export interface TargetGroup {
  targets: string[];
  labels: { job: string; instance: string };
}

/** The scrape address of a service, by what it runs; null: it exports nothing Prometheus reads. */
function scrapeAddress(s: ServiceSpec): [job: string, address: string] | null {
  switch (s.role) {
    case 'api':
      return ['api', `${s.name}:${API_PORT}`];
    case 'lb':
      return ['haproxy', `${s.name}:8404`];
    case 'db':
      return ['postgres', `${s.name}:9187`];
    case 'etcd':
      return ['etcd', `${s.name}:2379`];
    case 'redis-exporter':
      return ['redis', `${s.name}:${REDIS_EXPORTER_PORT}`];
    case 'prometheus':
      return ['prometheus', `localhost:${PROMETHEUS_PORT}`];
    case 'alertmanager':
      return ['alertmanager', `${s.name}:${ALERTMANAGER_PORT}`];
    default:
      return null;
  }
}

/** Prometheus's file_sd: a group per service, its name as the `instance` label. */
export function scrapeTargets(specs: ServiceSpec[]): TargetGroup[] {
  return specs.flatMap((s) => {
    const at = scrapeAddress(s);
    return at ? [{ targets: [at[1]], labels: { job: at[0], instance: s.name } }] : [];
  });
}

/** A scrape job beside the targets file (the Swarm target discovers the API's tasks with one). */
export type ScrapeJob = Record<string, unknown>;

export function prometheusYaml(t: Topology, jobs: ScrapeJob[] = []): string {
  const every = `${t.monitoring.scrapeSeconds}s`;
  const config = {
    global: { scrape_interval: every, evaluation_interval: every, scrape_timeout: every },
    rule_files: [`${MONITORING_DIR}/alert-rules.yml`],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`${SERVICE.alertmanager}:${ALERTMANAGER_PORT}`] }] }] },
    scrape_configs: [
      {
        job_name: 'scalelab',
        // The API labels its series with its own instance name; the targets file says the same.
        honor_labels: true,
        // Re-read when the engine rewrites it (instances come and go), without a restart.
        file_sd_configs: [{ files: [`${MONITORING_DIR}/targets.json`], refresh_interval: '5s' }],
      },
      ...jobs,
    ],
  };
  return `# ScaleLab: the stack's Prometheus. Targets: targets.json beside this file; rules: alert-rules.yml.\n${stringify(config, { lineWidth: 0 })}`;
}

/** The Prometheus container's files, by name in MONITORING_DIR. */
export function prometheusFiles(t: Topology, specs: ServiceSpec[], jobs: ScrapeJob[] = []): Record<string, string> {
  return {
    'prometheus.yml': prometheusYaml(t, jobs),
    'targets.json': `${JSON.stringify(scrapeTargets(specs), null, 2)}\n`,
    'alert-rules.yml': alertRulesYaml(t),
  };
}
