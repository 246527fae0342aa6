// The stack's monitoring on Swarm (monitoring.enabled), purely. Prometheus and Alertmanager run as
// containers on the manager, on the overlay, their UIs published on 127.0.0.1 like the balancer's
// (swarm-spec.ts ENTRY_ROLES); redis_exporter is a Swarm service. The API's tasks come and go as
// Swarm scales or replaces them, with addresses only Swarm knows, so Prometheus finds them itself
// through Swarm's own service discovery (dockerswarm_sd_configs, reading the manager's engine
// through its socket, read-only), as the Prometheus documentation runs it on Swarm: each task
// named by its slot, as the API names itself (api-1...), and labelled with the node it runs on.
// Everything else keeps its fixed name on the overlay, so the targets file lists it as on one engine.
import { API_PORT, type ServiceSpec } from '../topology/plan.js';
import { PROMETHEUS_FILE_ENV } from '../topology/plan-monitoring.js';
import type { Topology } from '../topology/schema.js';
import { prometheusFiles, type ScrapeJob } from '../monitoring/prometheus-config.js';
import { networkName } from '../runtime/names.js';
import { swarmServiceName } from './swarm-spec.js';

/** How often Prometheus asks Swarm for the API's tasks (its default is a minute: a new task
 *  would go unscraped that long). */
const DISCOVERY_REFRESH = '5s';

/** The scrape job for the API's tasks: Swarm's discovery, filtered to the stack's API service. */
export function apiTasksJob(stack: string): ScrapeJob {
  return {
    job_name: 'api',
    // The API labels its series with its own instance name (api-1...), the same as below.
    honor_labels: true,
    dockerswarm_sd_configs: [
      {
        host: 'unix:///var/run/docker.sock',
        role: 'tasks',
        port: API_PORT,
        refresh_interval: DISCOVERY_REFRESH,
        filters: [{ name: 'service', values: [swarmServiceName(stack, 'api')] }],
      },
    ],
    relabel_configs: [
      // A task that stopped stays listed a while; an address on another network is not reachable.
      { source_labels: ['__meta_dockerswarm_task_desired_state'], regex: 'running', action: 'keep' },
      { source_labels: ['__meta_dockerswarm_network_name'], regex: networkName(stack), action: 'keep' },
      { source_labels: ['__meta_dockerswarm_task_slot'], target_label: 'instance', replacement: 'api-$1' },
      { source_labels: ['__meta_dockerswarm_node_hostname'], target_label: 'node' },
    ],
  };
}

/** The planned specs as the Swarm target runs them: Prometheus's files with the API found through
 *  Swarm (and left out of the targets file), and the engine's socket given to it for that. */
export function withSwarmMonitoring(stack: string, t: Topology, specs: ServiceSpec[]): ServiceSpec[] {
  if (!specs.some((s) => s.role === 'prometheus')) return specs;
  const files = prometheusFiles(
    t,
    specs.filter((s) => s.role !== 'api'),
    [apiTasksJob(stack)],
  );
  const env = Object.fromEntries(Object.entries(PROMETHEUS_FILE_ENV).map(([file, key]) => [key, files[file]]));
  return specs.map((s) => (s.role === 'prometheus' ? { ...s, env: { ...s.env, ...env }, engineSocket: true } : s));
}
