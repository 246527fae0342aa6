// psql's unaligned output, fields and rows split by the ASCII separators, read back as rows.
import { describe, expect, it } from 'vitest';
import { parseRows } from './overlay-sql.js';

describe('rows read by psql over the overlay', () => {
  it('names each value by its column, a json value whole, NULL as empty', () => {
    const out = 'rows\x1e[{"name":"db-replica-1","lag_bytes":0}]\n';
    expect(parseRows(out)).toEqual([{ rows: '[{"name":"db-replica-1","lag_bytes":0}]' }]);
    const pools =
      'database\x1fuser\x1fcl_active\x1fmaxwait\x1escalelab\x1fapp\x1f3\x1f0\x1epgbouncer\x1fpgbouncer\x1f1\x1f\n';
    expect(parseRows(pools)).toEqual([
      { database: 'scalelab', user: 'app', cl_active: '3', maxwait: '0' },
      { database: 'pgbouncer', user: 'pgbouncer', cl_active: '1', maxwait: '' },
    ]);
    expect(parseRows('')).toEqual([]);
  });
});
