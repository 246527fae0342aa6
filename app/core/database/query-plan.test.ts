import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPlan } from './query-plan.js';

// EXPLAIN (ANALYZE, BUFFERS) of the expensive read as PostgreSQL 15 printed it on a ScaleLab stack
// (three tiers, the full seed), without the indexes and with them (`scalelab explain`).
const plan = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

describe('readPlan', () => {
  it('reads the times and pages of a plan that reads every table whole (parallel workers included), and no index', () => {
    expect(readPlan(plan('plan-seq-scan.txt'))).toEqual({
      executionMs: 35.465,
      planningMs: 0.833,
      pages: 2645,
      indexes: [],
    });
  });

  it('names the indexes a plan reads, bitmap and index-only scans alike, in plan order', () => {
    expect(readPlan(plan('plan-indexed.txt'))).toEqual({
      executionMs: 10.486,
      planningMs: 0.962,
      pages: 1774,
      indexes: ['products_category_id_idx', 'orders_product_id_idx'],
    });
  });

  it('leaves out what a plan does not say (EXPLAIN without ANALYZE)', () => {
    const estimate = plan('plan-seq-scan.txt')
      .split('\n')
      .filter((l) => !/Time:/.test(l))
      .join('\n');
    expect(readPlan(estimate)).toEqual({ executionMs: null, planningMs: null, pages: 2645, indexes: [] });
    const noBuffers = estimate
      .split('\n')
      .filter((l) => !/Buffers:/.test(l))
      .join('\n');
    expect(readPlan(noBuffers).pages).toBeNull();
  });
});
