// The hot-shard figure the sharding lesson checks: the busiest shard's queries over their mean.
import { describe, expect, it } from 'vitest';
import { shardSkew } from './api-series.js';

describe('shardSkew', () => {
  it('is 1 when the shards share the queries evenly and N when one shard takes them all', () => {
    expect(
      shardSkew(
        new Map([
          ['primary', 50],
          ['db-shard-1', 50],
          ['db-shard-2', 50],
        ]),
      ),
    ).toBe(1);
    expect(
      shardSkew(
        new Map([
          ['primary', 90],
          ['db-shard-1', 0],
          ['db-shard-2', 0],
        ]),
      ),
    ).toBe(3);
  });

  it('leaves out replicas, and says nothing without two shards or without queries', () => {
    expect(
      shardSkew(
        new Map([
          ['primary', 60],
          ['db-replica-1', 10],
          ['db-shard-1', 20],
        ]),
      ),
    ).toBe(1.5);
    expect(
      shardSkew(
        new Map([
          ['primary', 60],
          ['db-replica-1', 10],
        ]),
      ),
    ).toBeUndefined();
    expect(
      shardSkew(
        new Map([
          ['primary', 0],
          ['db-shard-1', 0],
        ]),
      ),
    ).toBeUndefined();
  });
});
