// The expensive read's query plan: EXPLAIN (ANALYZE, BUFFERS) run on the primary over its
// published port, as the engine's superuser. What an index changes is read from the plan itself:
// the indexes it scans and PostgreSQL's own execution time.
import pg from 'pg';
import { TOP_PRODUCTS_SQL } from '../../../stack/api/src/queries.js';
import type { QueryPlan } from '../../contract/stack.js';

export interface PlanTarget {
  node: string;
  /** host:port on loopback. */
  address: string;
  password: string;
}

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

export async function explainTopProducts(target: PlanTarget, category = 1): Promise<QueryPlan> {
  const [host, port] = target.address.split(':');
  const client = new pg.Client({
    host,
    port: Number(port),
    user: 'scalelab',
    password: target.password,
    database: 'scalelab',
    connectionTimeoutMillis: 3000,
    statement_timeout: 30_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // The category is an integer checked by the caller: inlined, since EXPLAIN takes no parameters.
    const sql = TOP_PRODUCTS_SQL.replace('$1', String(Math.trunc(category)));
    const res = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
    const text = res.rows.map((r) => r['QUERY PLAN']).join('\n');
    return {
      query: TOP_PRODUCTS_SQL.replace(/\s+/g, ' ').trim(),
      category,
      node: target.node,
      text,
      ...readPlan(text),
      at: Date.now(),
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
