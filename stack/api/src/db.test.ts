// Where the API connects: a node by name, or the HA router's read port; pooled, PgBouncer's port.
import { describe, expect, it } from 'vitest';
import { endpointOf } from './db.js';

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
