// monitoring.enabled: Prometheus, Alertmanager and (with the cache) redis_exporter as services of
// the stack. Prometheus gets its files in its environment at start; later changes (instances come
// and go, a threshold moves) are written into it by the engine and reloaded.
import { SERVICE } from '../../contract/services.js';
import {
  ALERTMANAGER_PORT,
  prometheusFiles,
  PROMETHEUS_PORT,
  REDIS_EXPORTER_PORT,
} from '../monitoring/prometheus-config.js';
import type { Topology } from './schema.js';
import { probeFor, type PlanContext, type ServiceSpec } from './service-spec.js';

/** Each of Prometheus's files, by the environment variable its entrypoint writes it from. */
export const PROMETHEUS_FILE_ENV: Record<string, string> = {
  'prometheus.yml': 'PROMETHEUS_YML',
  'targets.json': 'TARGETS_JSON',
  'alert-rules.yml': 'ALERT_RULES',
};

export function monitoringServices(t: Topology, ctx: PlanContext, others: ServiceSpec[]): ServiceSpec[] {
  if (!t.monitoring.enabled) return [];
  const services: ServiceSpec[] = [];
  if (t.cache.enabled)
    services.push({
      name: SERVICE.redisExporter,
      role: 'redis-exporter',
      env: { REDIS_ADDR: `redis://${SERVICE.cache}:6379`, REDIS_PASSWORD: ctx.redisPassword ?? '' },
      ports: [{ container: REDIS_EXPORTER_PORT, host: 0, purpose: 'metrics' }],
      aliases: [],
      dependsOn: [SERVICE.cache],
      probe: probeFor('redis-exporter', false),
    });
  services.push({
    name: SERVICE.alertmanager,
    role: 'alertmanager',
    env: {},
    ports: [{ container: ALERTMANAGER_PORT, host: 0, purpose: 'alerts' }],
    aliases: [],
    dependsOn: [],
    probe: probeFor('alertmanager', false),
  });
  const prometheus: ServiceSpec = {
    name: SERVICE.prometheus,
    role: 'prometheus',
    env: {},
    ports: [{ container: PROMETHEUS_PORT, host: 0, purpose: 'monitor' }],
    aliases: [],
    dependsOn: [SERVICE.alertmanager],
    probe: probeFor('prometheus', false),
  };
  const files = prometheusFiles(t, [...others, ...services, prometheus]);
  prometheus.env = Object.fromEntries(Object.entries(PROMETHEUS_FILE_ENV).map(([file, key]) => [key, files[file]]));
  return [...services, prometheus];
}

/** Prometheus's files that `after` wants changed from what `before` gave it (null: none): the
 *  engine writes them into the running Prometheus and reloads it, keeping its history. */
export function prometheusFilesBetween(before: ServiceSpec[], after: ServiceSpec[]): Record<string, string> | null {
  const envOf = (list: ServiceSpec[]) => list.find((s) => s.role === 'prometheus')?.env ?? {};
  const [had, want] = [envOf(before), envOf(after)];
  const changed = Object.entries(PROMETHEUS_FILE_ENV).filter(([, key]) => want[key] !== had[key]);
  return changed.length ? Object.fromEntries(changed.map(([file, key]) => [file, want[key] ?? ''])) : null;
}
