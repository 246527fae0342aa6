// The monitoring on Swarm (pure): the API's tasks found through Swarm's own discovery, named by
// slot and labelled with their node; everything else in the targets file by its name on the
// overlay; Prometheus given the engine's socket (read-only) and nothing else given it; a change
// to the API's count touching no file of Prometheus's, a threshold only its rules.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toCreateOptions } from '../runtime/container-spec.js';
import { plan } from '../topology/plan.js';
import { prometheusFilesBetween } from '../topology/plan-monitoring.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { withSwarmMonitoring } from './swarm-monitoring.js';
import { entriesChanged, swarmRefusals, swarmServices } from './swarm-spec.js';

const ctx = { adminToken: 't', dbPassword: 'p', redisPassword: 'r' };
const watched = (patch: (t: Topology) => void = () => undefined) => {
  const t = structuredClone(getPreset('read-replicas').topology) as Topology;
  t.monitoring = { ...t.monitoring, enabled: true };
  patch(t);
  const parsed = parseTopology(t);
  return withSwarmMonitoring('s', parsed, plan(parsed, ctx));
};
const envOf = (specs: ReturnType<typeof watched>) => specs.find((s) => s.role === 'prometheus')!.env;

describe('monitoring on Swarm', () => {
  const specs = watched();

  it("finds the API's tasks through Swarm's discovery: the stack's API service, running, on its overlay, named by slot, with its node", () => {
    const config = parse(envOf(specs).PROMETHEUS_YML);
    const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'api');
    expect(job.honor_labels).toBe(true);
    expect(job.dockerswarm_sd_configs).toEqual([
      {
        host: 'unix:///var/run/docker.sock',
        role: 'tasks',
        port: 3000,
        refresh_interval: '5s',
        filters: [{ name: 'service', values: ['scalelab-s-api'] }],
      },
    ]);
    expect(job.relabel_configs).toEqual([
      { source_labels: ['__meta_dockerswarm_task_desired_state'], regex: 'running', action: 'keep' },
      { source_labels: ['__meta_dockerswarm_network_name'], regex: 'scalelab-s', action: 'keep' },
      { source_labels: ['__meta_dockerswarm_task_slot'], target_label: 'instance', replacement: 'api-$1' },
      { source_labels: ['__meta_dockerswarm_node_hostname'], target_label: 'node' },
    ]);
  });

  it('lists every other part in the targets file by its name on the overlay, the API instances not', () => {
    const targets = JSON.parse(envOf(specs).TARGETS_JSON) as Array<{ labels: { instance: string } }>;
    expect(targets.map((g) => g.labels.instance).sort()).toEqual([
      'alertmanager',
      'db-primary',
      'db-replica-1',
      'db-replica-2',
      'lb',
      'prometheus',
      'redis-exporter',
    ]);
  });

  it("mounts the engine's socket read-only into Prometheus and nothing else; leaves a topology without monitoring as planned", () => {
    const mounted = specs.filter((s) => s.engineSocket).map((s) => s.name);
    expect(mounted).toEqual(['prometheus']);
    const opts = toCreateOptions(
      specs.find((s) => s.role === 'prometheus')!,
      {
        stack: 's',
        image: 'img',
        appVersion: '1',
      },
    );
    expect(opts.HostConfig!.Mounts).toContainEqual({
      Type: 'bind',
      Source: '/var/run/docker.sock',
      Target: '/var/run/docker.sock',
      ReadOnly: true,
    });
    const plain = parseTopology(getPreset('read-replicas').topology);
    const planned = plan(plain, ctx);
    expect(withSwarmMonitoring('s', plain, planned)).toBe(planned);
  });

  it('runs Prometheus and Alertmanager on the manager, redis_exporter as a Swarm service, and refuses none of it', () => {
    const services = swarmServices(specs, { stack: 's', images: {} as never, appVersion: '1' });
    expect(services.map((s) => s.Name)).toContain('scalelab-s-redis-exporter');
    expect(services.map((s) => s.Name)).not.toContain('scalelab-s-prometheus');
    expect(services.map((s) => s.Name)).not.toContain('scalelab-s-alertmanager');
    expect(swarmRefusals(parseTopology(getPreset('read-replicas').topology), specs)).toEqual([]);
  });

  it('keeps Prometheus (and its history) through a change: more API tasks change no file, a threshold only the rules', () => {
    const scaled = watched((t) => (t.api.instances = 6));
    expect(prometheusFilesBetween(specs, scaled)).toBeNull();
    expect([...entriesChanged(specs, scaled)]).toEqual([]);
    const stricter = watched((t) => (t.monitoring.alerts = { ...t.monitoring.alerts, p95Ms: 250 }));
    expect(Object.keys(prometheusFilesBetween(specs, stricter) ?? {})).toEqual(['alert-rules.yml']);
    expect([...entriesChanged(specs, stricter)]).toEqual([]);
    // Another replica is another target in the file.
    const more = watched((t) => (t.database.replicas = 3));
    expect(Object.keys(prometheusFilesBetween(specs, more) ?? {})).toEqual(['targets.json']);
  });
});
