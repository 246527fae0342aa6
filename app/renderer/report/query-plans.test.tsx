import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../contract/runs.js';
import type { QueryPlan } from '../../contract/stack.js';
import { planSwitches, QueryPlans } from './QueryPlans.js';

const plan = (ms: number, indexes: string[]): QueryPlan => ({
  query: 'SELECT …',
  category: 1,
  node: 'db-primary',
  text: `Limit (actual time=…)\nExecution Time: ${ms} ms`,
  executionMs: ms,
  planningMs: 0.3,
  indexes,
  at: 0,
});

const events: RunEvent[] = [
  { t: 1_000, kind: 'switch', label: 'cache.enabled: false → true', detail: { field: 'cache.enabled' } },
  {
    t: 31_000,
    kind: 'switch',
    label: 'database.indexes: false → true',
    detail: {
      field: 'database.indexes',
      plans: { before: plan(61.6, []), after: plan(9.2, ['orders_product_id_idx']) },
    },
  },
  { t: 40_000, kind: 'fault', label: 'kill api-2' },
];

describe('query plans in a report', () => {
  it('picks the index switches that carry plans', () => {
    expect(planSwitches(events).map((s) => [s.label, s.before?.executionMs, s.after?.executionMs])).toEqual([
      ['database.indexes: false → true', 61.6, 9.2],
    ]);
  });

  it('prints both plans with their time and indexes, and nothing for a run without an index switch', () => {
    const html = renderToStaticMarkup(<QueryPlans events={events} t0={1_000} />);
    expect(html).toContain('30 s: database.indexes: false → true');
    expect(html).toContain('61.6 ms');
    expect(html).toContain('no index used');
    expect(html).toContain('indexes used: orders_product_id_idx');
    expect(renderToStaticMarkup(<QueryPlans events={events.slice(0, 1)} t0={0} />)).toBe('');
  });
});
