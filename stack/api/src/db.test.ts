// Where the API connects: a node by name, or the HA router's read port; pooled, PgBouncer's port.
import { describe, expect, it } from 'vitest';
import { POOL_SIZE, endpointOf, warm, type WarmablePool } from './db.js';

describe('endpointOf', () => {
  it('reaches PostgreSQL on 5432 by default and PgBouncer 1000 above', () => {
    expect(endpointOf('db-replica-1', false)).toEqual({ host: 'db-replica-1', port: 5432 });
    expect(endpointOf('db-replica-1', true)).toEqual({ host: 'db-replica-1', port: 6432 });
  });

  it("takes the router's read port and its pooled twin", () => {
    expect(endpointOf('db-router:5433', false)).toEqual({ host: 'db-router', port: 5433 });
    expect(endpointOf('db-router:5433', true)).toEqual({ host: 'db-router', port: 6433 });
  });
});

/** A pool whose logins fail until `refusals` have been refused; open connections stay open. */
function fakePool(refusals: number): WarmablePool & { logins: number } {
  const pool = {
    totalCount: 0,
    ending: false,
    logins: 0,
    query: async () => {
      pool.logins++;
      if (pool.logins <= refusals) throw new Error('server login has been failing');
      pool.totalCount = Math.min(POOL_SIZE, pool.totalCount + 1);
    },
  };
  return pool;
}

describe('warm', () => {
  it('opens the whole pool in one round when every login succeeds', async () => {
    const pool = fakePool(0);
    await warm(pool, 1);
    expect(pool.totalCount).toBe(POOL_SIZE);
    expect(pool.logins).toBe(POOL_SIZE);
  });

  it('tries again for the logins refused (PgBouncer before the direct connections close)', async () => {
    const pool = fakePool(POOL_SIZE + 3);
    await warm(pool, 1);
    expect(pool.totalCount).toBe(POOL_SIZE);
  });

  it('tries once with no time to retry, and not at all for a pool that is ending', async () => {
    const refused = fakePool(Infinity);
    await warm(refused, 1, 0);
    expect(refused.totalCount).toBe(0);
    const ending = { ...fakePool(0), ending: true };
    await warm(ending, 1);
    expect(ending.logins).toBe(0);
  });
});
