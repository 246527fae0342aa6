// A Swarm stack's change planned (pure): the services whose spec changed updated, with what
// changed in words; a role added created, one gone removed; Swarm's own defaults in the specs it
// returns changing nothing.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { plan } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { planServices, type RunningService } from './swarm-apply.js';
import { swarmServices } from './swarm-spec.js';

const ctx = { adminToken: 't', dbPassword: 'p', redisPassword: 'r' };
const images = { api: 'img-api', lb: 'img-lb', cache: 'img-cache', db: 'img-db' } as never;
const base = parseTopology({ ...getPreset('load-balanced').topology, cache: { enabled: true } });
const specsOf = (t: Topology) => swarmServices(plan(t, ctx), { stack: 's', images, appVersion: '1' });

/** As Swarm returns a service: our spec, an id and version, and defaults of its own filled in. */
const running = (t: Topology): RunningService[] =>
  specsOf(t).map((spec, i) => {
    const task = structuredClone(spec.TaskTemplate) as Docker.ContainerTaskSpec;
    task.ForceUpdate = 0;
    // Swarm keeps no StartInterval in a health check.
    const c = task.ContainerSpec as { Healthcheck?: Record<string, unknown> };
    delete c.Healthcheck?.StartInterval;
    task.Runtime = 'container';
    (task.Placement as Record<string, unknown>).Platforms = [{ Architecture: 'amd64', OS: 'linux' }];
    return { ID: `id-${i}`, Version: { Index: 10 + i }, Spec: { ...spec, TaskTemplate: task } };
  });

const names = (list: Array<{ Name?: string } | { name: string }>) =>
  list.map((x) => ('name' in x ? x.name : x.Name)).sort();

describe("a Swarm stack's change", () => {
  it('changes nothing when the topology is the same, whatever Swarm filled in', () => {
    expect(planServices(running(base), specsOf(base))).toEqual({ create: [], update: [], remove: [] });
  });

  it('updates the API for a setting it reads, and says what changed', () => {
    const to = structuredClone(base);
    to.cache.ttlSeconds = base.cache.ttlSeconds + 60;
    const p = planServices(running(base), specsOf(to));
    expect(p.update.map((u) => [u.spec.Name, u.what])).toEqual([['scalelab-s-api', ['settings']]]);
    // The running service's id and version, for Swarm's optimistic update.
    const api = running(base).find((s) => s.Spec?.Name === 'scalelab-s-api')!;
    expect(p.update[0]).toMatchObject({ id: api.ID, version: api.Version!.Index });
  });

  it('scales by replicas alone, and limits resources', () => {
    const to = structuredClone(base);
    to.api.instances = 5;
    to.api.cpus = 0.5;
    const p = planServices(running(base), specsOf(to));
    expect(p.update.map((u) => [u.spec.Name, u.what])).toEqual([['scalelab-s-api', ['resources', 'replicas']]]);
  });

  it('removes the cache when switched off, creates it when switched on', () => {
    const off = structuredClone(base);
    off.cache.enabled = false;
    const down = planServices(running(base), specsOf(off));
    expect(names(down.remove)).toEqual(['scalelab-s-cache']);
    expect(down.update.map((u) => u.spec.Name)).toEqual(['scalelab-s-api']);
    const up = planServices(running(off), specsOf(base));
    expect(names(up.create)).toEqual(['scalelab-s-cache']);
  });
});
