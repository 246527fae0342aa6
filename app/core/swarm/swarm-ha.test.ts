// Patroni on Swarm (pure): etcd and the router as services, etcd's data a pinned volume, the checks
// Swarm replaces tasks by asking the process itself, the bootstrap settings kept, the cluster's
// settings through Patroni.
import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { plan } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology } from '../topology/schema.js';
import { keepBootstrapEnv, patroniChange } from './swarm-ha.js';
import { swarmServices } from './swarm-spec.js';

const ctx = { adminToken: 't', dbPassword: 'p', redisPassword: 'r' };
const images = { api: 'img-api', lb: 'img-lb', cache: 'img-cache', db: 'img-db', etcd: 'img-etcd' } as never;
type Task = {
  ContainerSpec: { Env: string[]; Mounts: Array<{ Source: string; Target: string }>; Healthcheck: { Test: string[] } };
  Placement: { Constraints: string[] };
};
const task = (s: Docker.CreateServiceOptions) => s.TaskTemplate as unknown as Task;

describe('Patroni on Swarm', () => {
  const ha = parseTopology({
    ...getPreset('ha').topology,
    database: { ...getPreset('ha').topology.database, etcdMembers: 3, maxConnections: 80 },
  });
  const pins = { 'etcd-1': 'n1', 'etcd-2': 'n2', 'etcd-3': 'n1', 'db-primary': 'n1', 'db-replica-1': 'n2' };
  const services = swarmServices(plan(ha, ctx), { stack: 's', images, appVersion: '1', dbPins: pins });
  const byName = new Map(services.map((s) => [s.Name!.replace('scalelab-s-', ''), s]));

  it("runs etcd's members and the router as services; each member's data a volume, pinned like a database's", () => {
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['etcd-1', 'etcd-2', 'etcd-3', 'db-router']));
    const etcd = task(byName.get('etcd-2')!);
    expect(etcd.ContainerSpec.Mounts.map((m) => `${m.Source} ${m.Target}`)).toEqual([
      'scalelab-s-etcd-2 /var/lib/etcd',
    ]);
    expect(etcd.Placement.Constraints).toEqual(['node.hostname==n2']);
    expect(task(byName.get('db-router')!).Placement.Constraints).toEqual([]);
  });

  it('asks the router and etcd whether their process lives, not whether the cluster around them is whole', () => {
    const test = (name: string) => task(byName.get(name)!).ContainerSpec.Healthcheck.Test[1];
    expect(test('db-router')).toBe('curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8404/stats');
    expect(test('etcd-1')).toBe('curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:2379/version');
    // A database node: Patroni's /health (PostgreSQL runs, leader or replica).
    expect(test('db-primary')).toBe('curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8008/health');
  });

  it("keeps a running node's bootstrap settings in its spec (no rolling restart); new nodes get the topology's", () => {
    const next = parseTopology({ ...ha, database: { ...ha.database, synchronous: true, maxConnections: 50 } });
    const wanted = swarmServices(plan(next, ctx), { stack: 's', images, appVersion: '1', dbPins: pins });
    const running = [{ Spec: byName.get('db-primary') as Docker.ServiceSpec }];
    const kept = keepBootstrapEnv(next, wanted, running);
    const env = (name: string) => task(kept.find((s) => s.Name === `scalelab-s-${name}`)!).ContainerSpec.Env;
    expect(env('db-primary')).toEqual(expect.arrayContaining(['SYNCHRONOUS=false', 'MAX_CONNECTIONS=80']));
    expect(env('db-replica-1')).toEqual(expect.arrayContaining(['SYNCHRONOUS=true']));
    expect(env('db-primary')).toEqual(task(byName.get('db-primary')!).ContainerSpec.Env);
    // Without Patroni the setting is the service's own: a change restarts it.
    const plain = parseTopology(getPreset('read-replicas').topology);
    const plainWanted = swarmServices(plan(plain, ctx), { stack: 's', images, appVersion: '1' });
    expect(keepBootstrapEnv(plain, plainWanted, running)).toBe(plainWanted);
  });

  it("changes the cluster's settings through Patroni: a restart only for max_connections", () => {
    const with_ = (d: Partial<typeof ha.database>) => parseTopology({ ...ha, database: { ...ha.database, ...d } });
    expect(patroniChange(ha, with_({ synchronous: true }))).toEqual({
      kind: 'patroni-config',
      synchronous: true,
      maxConnections: 80,
      restart: false,
    });
    expect(patroniChange(ha, with_({ maxConnections: 60 }))?.restart).toBe(true);
    expect(patroniChange(ha, with_({ poolSize: 5 }))).toBeNull();
    const off = parseTopology({ ...ha, database: { ...ha.database, ha: false, synchronous: false } });
    expect(patroniChange(off, with_({}))).toBeNull();
  });
});
