import { describe, expect, it } from 'vitest';
import { poolFigures, type PoolRow } from './db-connections.js';

// SHOW POOLS as PgBouncer 1.18 answers it through node-postgres (numbers as text), trimmed to
// the columns read: the admin console's own row, and the stack's database.
const row = (database: string, o: Partial<PoolRow>): PoolRow => ({
  database,
  user: database === 'pgbouncer' ? 'pgbouncer' : 'scalelab',
  cl_active: '0',
  cl_waiting: '0',
  sv_active: '0',
  sv_idle: '0',
  maxwait: '0',
  maxwait_us: '0',
  ...o,
});

describe('poolFigures', () => {
  it("sums the stack database's pools and leaves the admin console out", () => {
    const rows = [
      row('pgbouncer', { cl_active: '1' }),
      row('scalelab', {
        cl_active: '12',
        cl_waiting: '7',
        sv_active: '5',
        sv_idle: '1',
        maxwait: '1',
        maxwait_us: '250000',
      }),
    ];
    expect(poolFigures(rows)).toEqual({ clients: 19, waiting: 7, serverActive: 5, serverIdle: 1, maxWaitMs: 1250 });
  });

  it('is all zeros when nothing has connected yet', () => {
    expect(poolFigures([row('pgbouncer', { cl_active: '1' })])).toEqual({
      clients: 0,
      waiting: 0,
      serverActive: 0,
      serverIdle: 0,
      maxWaitMs: 0,
    });
  });
});
