import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../contract/runs.js';
import { FAMILY, queryName } from '../../contract/series.js';
import { chartDefs } from './LiveCharts.js';

describe('the charts of a run', () => {
  it('draws each charted PromQL query as a chart of its own, its series by labels, titled by its expression', () => {
    const q = (i: number, labels: Record<string, string>) => FAMILY.query.key(queryName(i, labels));
    const points: TimelinePoint[] = [
      {
        t: 1000,
        v: {
          [q(0, {})]: 8,
          [q(1, { instance: 'api-1' })]: 30,
          [q(1, { __name__: 'x', instance: 'api.2' })]: 28,
        },
      },
    ];
    const defs = chartDefs(points, null, ['count(up == 1)', 'sum by (instance) (rate(x[5s]))']);
    const queries = defs.filter((d) => d.id.startsWith('query-'));
    expect(queries.map((d) => [d.id, d.title, d.series.map((s) => s.name)])).toEqual([
      ['query-0', 'PromQL: count(up == 1)', ['value']],
      ['query-1', 'PromQL: sum by (instance) (rate(x[5s]))', ['api-1', 'api_2']],
    ]);
    // A run without them has no such chart; one whose expressions are unknown still shows its series.
    expect(chartDefs([{ t: 0, v: {} }], null).some((d) => d.id.startsWith('query-'))).toBe(false);
    expect(chartDefs(points, null, [])[chartDefs(points, null, []).length - 1].title).toBe('PromQL: query 2');
  });
});
