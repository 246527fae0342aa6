// The expensive read's query plan: EXPLAIN (ANALYZE, BUFFERS) run on the primary by psql in its
// container, as the engine's superuser. What an index changes is read from the plan itself:
// the indexes it scans and PostgreSQL's own execution time.
import { TOP_PRODUCTS_SQL } from '../../../stack/api/src/queries.js';
import { SERVICE } from '../../contract/services.js';
import type { QueryPlan } from '../../contract/stack.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';

/** The figures in a plan's text (pure): its times and the indexes it scans, in plan order. */
export function readPlan(text: string): Pick<QueryPlan, 'executionMs' | 'planningMs' | 'pages' | 'indexes'> {
  const time = (what: string) => {
    const m = new RegExp(`${what} Time: ([\\d.]+) ms`).exec(text);
    return m ? Number(m[1]) : null;
  };
  const indexes = [...text.matchAll(/(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map(
    (m) => m[1]!,
  );
  // The first Buffers line is the top node's, which counts its children's pages too.
  const buffers = /Buffers: shared ([^\n]+)/.exec(text)?.[1] ?? '';
  const count = (what: string) => Number(new RegExp(`${what}=(\\d+)`).exec(buffers)?.[1] ?? 0);
  return {
    executionMs: time('Execution'),
    planningMs: time('Planning'),
    pages: buffers ? count('hit') + count('read') : null,
    indexes: [...new Set(indexes)],
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the expensive read for `category`, by psql in the primary's own
 *  container (`runtime.primarySql`: the same on both targets; a Swarm task publishes no port). */
export async function explainTopProducts(
  runtime: Pick<StackRuntime, 'primarySql'>,
  stack: string,
  category = 1,
): Promise<QueryPlan> {
  // The category is an integer checked by the caller: inlined, since EXPLAIN takes no parameters.
  const sql = TOP_PRODUCTS_SQL.replace('$1', String(Math.trunc(category)));
  // psql -At prints the plan's rows one a line, as they are.
  const text = await runtime.primarySql(stack, `EXPLAIN (ANALYZE, BUFFERS) ${sql}`, 30_000);
  return {
    query: TOP_PRODUCTS_SQL.replace(/\s+/g, ' ').trim(),
    category,
    node: SERVICE.primary,
    text,
    ...readPlan(text),
    at: Date.now(),
  };
}
