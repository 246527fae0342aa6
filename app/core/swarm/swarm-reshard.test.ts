// Resharding on Swarm, its pure steps: the specs while the new shards are made (the API as it
// runs), while the orders move (the API on the moving layout, the dropped shards still there),
// and what is refused before anything changes.
import { describe, expect, it } from 'vitest';
import { reshardOf } from '../runtime/reshard-plan.js';
import { movingConfig } from '../runtime/shard-actions.js';
import { plan, type ServiceSpec } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology, type Topology } from '../topology/schema.js';
import { refuseReshardWithTier, specsWhileAdding, specsWhileMoving } from './swarm-reshard.js';

const ctx = { adminToken: 't', dbPassword: 'p', redisPassword: 'r' };
const base = parseTopology(getPreset('load-balanced').topology);
const sharded = (shards: number, sharding: 'hash' | 'range' = 'hash'): Topology =>
  parseTopology({ ...base, database: { ...base.database, replicas: 0, shards, sharding } });
const names = (specs: ServiceSpec[]) => specs.map((s) => s.name).filter((n) => n.startsWith('db-'));
const apiConfig = (specs: ServiceSpec[]) =>
  specs.filter((s) => s.role === 'api').map((s) => JSON.parse(s.env.SCALELAB_CONFIG!).database.shards);

describe('resharding a running Swarm stack, its steps', () => {
  it('grows: the new shard made while the API keeps its layout, then the API on the new one over all three', () => {
    const [from, to] = [sharded(2), sharded(3)];
    const a = reshardOf(from, to)!;
    expect(a).toMatchObject({ hosts: ['db-primary', 'db-shard-1', 'db-shard-2'], added: ['db-shard-2'] });
    const before = plan(from, ctx);
    const after = plan(to, ctx);
    const adding = specsWhileAdding(before, after, a);
    expect(names(adding)).toEqual(['db-primary', 'db-shard-1', 'db-shard-2']);
    // The API untouched: a task that started now would seed the new shard by the new layout.
    expect(apiConfig(adding)).toEqual(apiConfig(before));
    expect(apiConfig(before)[0]).toMatchObject({ count: 2, hosts: ['db-primary', 'db-shard-1'] });
    const moving = specsWhileMoving(before, after, a, movingConfig(a, to));
    expect(names(moving)).toEqual(['db-primary', 'db-shard-1', 'db-shard-2']);
    expect(apiConfig(moving)[0]).toEqual({ count: 3, mode: 'hash', hosts: a.hosts });
    // Growing, the moving specs are the final ones: the apply after it changes nothing more.
    expect(moving).toEqual(after);
  });

  it('shrinks: the dropped shard kept and read while its orders leave, the API writing by two', () => {
    const [from, to] = [sharded(3), sharded(2)];
    const a = reshardOf(from, to)!;
    expect(a.added).toEqual([]);
    const before = plan(from, ctx);
    const after = plan(to, ctx);
    expect(specsWhileAdding(before, after, a)).toEqual(before);
    const moving = specsWhileMoving(before, after, a, movingConfig(a, to));
    expect(names(moving)).toEqual(['db-primary', 'db-shard-1', 'db-shard-2']);
    expect(apiConfig(moving)[0]).toEqual({ count: 2, mode: 'hash', hosts: ['db-primary', 'db-shard-1', 'db-shard-2'] });
    expect(names(after)).toEqual(['db-primary', 'db-shard-1']);
  });

  it('changes the sharding alone over the same shards; refuses it beside Patroni switched', () => {
    const a = reshardOf(sharded(2), sharded(2, 'range'))!;
    expect(a).toMatchObject({ from: { count: 2, mode: 'hash' }, to: { count: 2, mode: 'range' }, added: [] });
    expect(reshardOf(sharded(2), sharded(2))).toBeNull();
    expect(() => refuseReshardWithTier([{ field: 'database.shards' }, { field: 'database.ha' }])).toThrow(
      /does not reshard in the same change that switches Patroni or etcd, so nothing changed/,
    );
    expect(() => refuseReshardWithTier([{ field: 'database.shards' }])).not.toThrow();
  });
});
