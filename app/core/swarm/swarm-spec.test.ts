// The Swarm services of a topology (pure): the API one service whose replicas are the instances,
// named by slot and found as "api" by the balancer; what Swarm cannot run yet refused in words.
import { describe, expect, it } from 'vitest';
import { LABEL } from '../runtime/names.js';
import { plan } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology } from '../topology/schema.js';
import { entriesChanged, refuseUnlessSwarmRuns, swarmRefusals, swarmServices } from './swarm-spec.js';
import { recreatesDatabaseTier } from './swarm-ha.js';

const ctx = { adminToken: 't', dbPassword: 'p', redisPassword: 'r' };
const images = { api: 'img-api', lb: 'img-lb', cache: 'img-cache', db: 'img-db' } as never;

describe('Swarm services of a topology', () => {
  const t = parseTopology({ ...getPreset('load-balanced').topology, cache: { enabled: true } });
  const services = swarmServices(plan(t, ctx), { stack: 's', images, appVersion: '1', dbNodeLabel: 'scalelab.db' });
  const byName = new Map(services.map((s) => [s.Name, s]));

  it('makes the API one service of three replicas, each task api-<slot>, every one answering to "api"', () => {
    expect([...byName.keys()].sort()).toEqual(['scalelab-s-api', 'scalelab-s-cache', 'scalelab-s-db-primary']);
    const api = byName.get('scalelab-s-api')!;
    expect(api.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(api.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    const spec = api.TaskTemplate as {
      ContainerSpec: { Hostname: string; Env: string[]; Labels: Record<string, string> };
    };
    expect(spec.ContainerSpec.Hostname).toBe('api-{{.Task.Slot}}');
    expect(spec.ContainerSpec.Env).toContain('INSTANCE_NAME=api-{{.Task.Slot}}');
    expect(spec.ContainerSpec.Labels[LABEL.service]).toBe('api-{{.Task.Slot}}');
    expect((api.TaskTemplate as { Networks: unknown }).Networks).toEqual([{ Target: 'scalelab-s', Aliases: ['api'] }]);
    // A rolling change starts the new task first; Swarm replaces a task that ends, whatever its exit.
    expect(api.UpdateConfig?.Order).toBe('start-first');
    expect((api.TaskTemplate as { RestartPolicy: unknown }).RestartPolicy).toEqual({ Condition: 'any', Delay: 1e9 });
  });

  it('keeps the database to the labelled nodes, its volume labelled for down()', () => {
    const db = byName.get('scalelab-s-db-primary')!.TaskTemplate as {
      Placement: { Constraints: string[] };
      ContainerSpec: {
        Image: string;
        StopSignal: string;
        Mounts: Array<{ Source: string; VolumeOptions: { Labels: object } }>;
      };
    };
    expect(db.Placement.Constraints).toEqual(['node.labels.scalelab.db==true']);
    expect(db.ContainerSpec.Image).toBe('img-db');
    expect(db.ContainerSpec.StopSignal).toBe('SIGINT');
    expect(db.ContainerSpec.Mounts[0]).toMatchObject({
      Source: 'scalelab-s-db-primary',
      VolumeOptions: { Labels: { [LABEL.stack]: 's' } },
    });
  });

  it("gives each task its own health check, run by its node's engine, and names that resolve to the tasks", () => {
    const check = (name: string) =>
      (byName.get(name)!.TaskTemplate as { ContainerSpec: { Healthcheck: { Test: string[]; Retries: number } } })
        .ContainerSpec.Healthcheck;
    expect(check('scalelab-s-api').Test).toEqual([
      'CMD-SHELL',
      'curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:3000/healthz',
    ]);
    expect(check('scalelab-s-db-primary').Test[1]).toBe('pg_isready -q -h 127.0.0.1 -p 5432 -U scalelab');
    // The password read from the task's secret file (or its environment) when the check runs,
    // not written into the spec.
    expect(check('scalelab-s-cache').Test[1]).toBe(
      'p=$(cat "${REDIS_PASSWORD_FILE:-/dev/null}" 2>/dev/null); p=${p:-${REDIS_PASSWORD:-}}; ' +
        'redis-cli -p 6379 --no-auth-warning ${p:+-a "$p"} ping | grep -q PONG',
    );
    expect(check('scalelab-s-api').Retries).toBe(5);
    // No virtual IPs (they need IPVS): every name answers with its tasks' addresses.
    expect(services.map((s) => s.EndpointSpec)).toEqual(services.map(() => ({ Mode: 'dnsrr' })));
  });

  it('pins each database to its node, the label kept too, and each replica a service of its own', () => {
    const rr = parseTopology(getPreset('read-replicas').topology);
    const pins = { 'db-primary': 'm', 'db-replica-1': 'w1', 'db-replica-2': 'w2' };
    const all = swarmServices(plan(rr, ctx), {
      stack: 's',
      images,
      appVersion: '1',
      dbNodeLabel: 'scalelab.db',
      dbPins: pins,
    });
    const placement = (name: string) =>
      (all.find((s) => s.Name === name)!.TaskTemplate as { Placement: { Constraints: string[] } }).Placement
        .Constraints;
    expect(placement('scalelab-s-db-primary')).toEqual(['node.labels.scalelab.db==true', 'node.hostname==m']);
    expect(placement('scalelab-s-db-replica-2')).toEqual(['node.labels.scalelab.db==true', 'node.hostname==w2']);
    expect(placement('scalelab-s-api')).toEqual([]);
    const replica = all.find((s) => s.Name === 'scalelab-s-db-replica-1')!;
    expect(replica.Mode).toEqual({ Replicated: { Replicas: 1 } });
    const c = (replica.TaskTemplate as { ContainerSpec: { Env: string[]; Hostname: string } }).ContainerSpec;
    expect(c.Hostname).toBe('db-replica-1');
    expect(c.Env).toEqual(expect.arrayContaining(['DB_ROLE=replica', 'DB_PRIMARY=db-primary']));
  });

  it('leaves the entry points out: the balancer and the edge are containers on the manager, published on 127.0.0.1', () => {
    const edged = parseTopology({ ...t, edgeCache: { ...t.edgeCache, enabled: true } });
    const all = swarmServices(plan(edged, ctx), { stack: 's', images, appVersion: '1' });
    expect(all.map((s) => s.Labels?.[LABEL.role]).sort()).toEqual(['api', 'cache', 'db']);
  });

  it('makes an entry point again where its own spec changed, and only there', () => {
    const with_ = (patch: (x: typeof t) => void) => {
      const x = structuredClone(t);
      patch(x);
      return plan(parseTopology(x), ctx);
    };
    const edged = with_((x) => (x.edgeCache.enabled = true));
    // The API instances the balancer starts after are no part of it.
    expect([
      ...entriesChanged(
        plan(t, ctx),
        with_((x) => (x.api.instances = 5)),
      ),
    ]).toEqual([]);
    expect([...entriesChanged(plan(t, ctx), edged)]).toEqual(['cdn']);
    expect([...entriesChanged(edged, plan(t, ctx))]).toEqual(['cdn']);
    const headers = with_((x) => {
      x.edgeCache.enabled = true;
      x.loadBalancer.securityHeaders = true;
    });
    expect([...entriesChanged(edged, headers)]).toEqual(['lb']);
  });

  it('refuses, in words and before anything is made, what it cannot run yet', () => {
    const rr = parseTopology(getPreset('read-replicas').topology);
    expect(swarmRefusals(rr, plan(rr, ctx))).toEqual([]);
    const pooled = parseTopology({ ...rr, database: { ...rr.database, pooler: 'pgbouncer', backups: true } });
    expect(swarmRefusals(pooled, plan(pooled, ctx))).toEqual([]);
    const sharded = parseTopology({ ...rr, database: { ...rr.database, replicas: 0, shards: 2 } });
    expect(swarmRefusals(sharded, plan(sharded, ctx))).toEqual([]);
    // Each shard a database service of its own (resharding it live: swarm-reshard.test.ts).
    const names = swarmServices(plan(sharded, ctx), { stack: 's', images, appVersion: '1' }).map((s) => s.Name);
    expect(names).toContain('scalelab-s-db-shard-1');
    // Patroni runs too: etcd and the router as services of their own.
    const ha = parseTopology(getPreset('ha').topology);
    expect(swarmRefusals(ha, plan(ha, ctx))).toEqual([]);
    // Switched live, Patroni makes the database tier again from empty volumes, as on one engine.
    expect(recreatesDatabaseTier([{ field: 'database.etcdMembers' }])).toBe(true);
    expect(recreatesDatabaseTier([{ field: 'database.synchronous' }])).toBe(false);
    const single = parseTopology(getPreset('single-server').topology);
    expect(() => refuseUnlessSwarmRuns(single, plan(single, ctx))).toThrow(/the balancer is the entry/);
    expect(swarmRefusals(t, plan(t, ctx))).toEqual([]);
  });
});
