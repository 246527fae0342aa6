// Prometheus metrics of one API instance, scraped by the engine's collectors.
import client from 'prom-client';

export function createMetrics(instance: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ instance });
  client.collectDefaultMetrics({ register: registry });
  const ms = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['route', 'method', 'status'],
      buckets: ms,
      registers: [registry],
    }),
    // A plain counter beside the histogram: what collectors read for requests per second.
    httpRequests: new client.Counter({
      name: 'scalelab_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    cacheOps: new client.Counter({
      name: 'scalelab_cache_operations_total',
      help: 'Cache reads by result (hit, miss, error)',
      labelNames: ['result'],
      registers: [registry],
    }),
    cacheResults: new client.Counter({
      name: 'scalelab_cache_results_total',
      help: 'Responses by cache result (HIT, MISS, BYPASS)',
      labelNames: ['result'],
      registers: [registry],
    }),
    dbQueries: new client.Counter({
      name: 'scalelab_db_queries_total',
      help: 'Database queries by node',
      labelNames: ['node'],
      registers: [registry],
    }),
    dbErrors: new client.Counter({
      name: 'scalelab_db_errors_total',
      help: 'Failed database queries by node',
      labelNames: ['node'],
      registers: [registry],
    }),
    dbDuration: new client.Histogram({
      name: 'scalelab_db_query_duration_seconds',
      help: 'Database query duration by node',
      labelNames: ['node'],
      buckets: ms,
      registers: [registry],
    }),
    sessions: new client.Counter({
      name: 'scalelab_sessions_total',
      help: 'Cart requests by what the session store knew of their cookie (new, found, lost)',
      labelNames: ['state'],
      registers: [registry],
    }),
    // cache.strategy write-behind: writes acknowledged once queued in Redis, rows the flushers
    // wrote to PostgreSQL, and writes that went straight to the database (Redis did not answer).
    writeBehind: new client.Counter({
      name: 'scalelab_write_behind_total',
      help: 'Write-behind orders by state (queued: acknowledged from the queue; persisted; direct)',
      labelNames: ['state'],
      registers: [registry],
    }),
    writeBehindFlushes: new client.Counter({
      name: 'scalelab_write_behind_flushes_total',
      help: 'Batches the write-behind flushers wrote to PostgreSQL',
      registers: [registry],
    }),
    staleReads: new client.Counter({
      name: 'scalelab_stale_reads_total',
      help: 'Reads that a replica answered with nothing while the primary had the row',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
