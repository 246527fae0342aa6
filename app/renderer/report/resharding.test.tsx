import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../contract/runs.js';
import type { RebalanceFigures } from '../../contract/stack.js';
import { Resharding, reshardings } from './Resharding.js';

const moved: RebalanceFigures = {
  from: { count: 2, mode: 'hash' },
  to: { count: 3, mode: 'hash' },
  bucketsMoving: 22,
  rowsMoved: 101_234,
  seconds: 3.5,
  rowsPerSecond: 28_924,
  leftMisplaced: 0,
  rowsPerShard: { 'db-primary': 100_000, 'db-shard-1': 99_000, 'db-shard-2': 101_234 },
};

const events: RunEvent[] = [
  { t: 1_000, kind: 'switch', label: 'cache.enabled: false → true', detail: { field: 'cache.enabled' } },
  {
    t: 21_000,
    kind: 'switch',
    label: 'database.shards: 2 → 3',
    detail: { field: 'database.shards', rebalance: moved },
  },
];

describe('re-sharding in a report', () => {
  it('picks the switches that moved orders, with the layout, the rows, the rate and what was left', () => {
    const [m] = reshardings(events);
    expect(m!.label).toBe('database.shards: 2 → 3');
    expect(m!.rows.map(([l, v]) => `${l}: ${v}`)).toEqual([
      'layout: 2 shards by hash → 3 shards by hash',
      'buckets moving: 22 of 64',
      'rows moved: 101,234',
      'took: 3.5 s',
      'rate: 28,924 rows/s',
      'left misplaced: 0',
      'orders on db-primary: 100,000',
      'orders on db-shard-1: 99,000',
      'orders on db-shard-2: 101,234',
    ]);
  });

  it('prints a section only for a run that re-sharded', () => {
    expect(renderToStaticMarkup(<Resharding events={events} t0={1_000} />)).toContain('20 s: database.shards: 2 → 3');
    expect(renderToStaticMarkup(<Resharding events={events.slice(0, 1)} t0={0} />)).toBe('');
  });
});
