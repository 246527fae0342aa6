// Prometheus's HTTP API, the two calls the console makes: its scrape targets (/api/v1/targets)
// and an instant query (/api/v1/query). Answers are checked with zod; a query Prometheus refuses
// comes back as its own error message.
import { z } from 'zod';
import type { QueryAnswer, ScrapeTarget } from '../../contract/monitoring.js';
import { LabError } from '../../contract/errors.js';

const targetsSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    activeTargets: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
        health: z.string(),
        lastError: z.string().default(''),
        lastScrapeDuration: z.number().default(0),
      }),
    ),
  }),
});

const sample = z.tuple([z.number(), z.string()]);
const querySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({
        resultType: z.literal('vector'),
        result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sample })),
      }),
      z.object({ resultType: z.literal('scalar'), result: sample }),
      z.object({ resultType: z.literal('string'), result: sample }),
      z.object({
        resultType: z.literal('matrix'),
        result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sample) })),
      }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

const toNumber = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : null);

export function parseTargets(json: unknown): ScrapeTarget[] {
  return targetsSchema.parse(json).data.activeTargets.map((t) => ({
    job: t.labels.job ?? '',
    instance: t.labels.instance ?? '',
    health: t.health === 'up' || t.health === 'down' ? t.health : 'unknown',
    lastError: t.lastError,
    lastScrapeMs: Math.round(t.lastScrapeDuration * 1000 * 10) / 10,
  }));
}

export function parseQuery(expr: string, json: unknown): QueryAnswer {
  const r = querySchema.parse(json);
  if (r.status === 'error')
    throw new LabError(
      `Prometheus refused the query: ${r.error}`,
      'BAD_INPUT',
      'Check the PromQL (a metric name, a range in [ ]).',
    );
  const d = r.data;
  switch (d.resultType) {
    case 'vector':
      return { expr, series: d.result.map((x) => ({ labels: x.metric, value: toNumber(x.value[1]) })) };
    case 'scalar':
    case 'string':
      return { expr, series: [{ labels: {}, value: toNumber(d.result[1]) }] };
    case 'matrix':
      // A range selector (x[1m]) asked as an instant query: its newest sample per series.
      return {
        expr,
        series: d.result.map((x) => ({ labels: x.metric, value: toNumber(x.values.at(-1)?.[1] ?? 'NaN') })),
      };
  }
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  // Prometheus answers a bad query 400 with a JSON error: read it either way.
  return res.json();
}

export async function readTargets(baseUrl: string, timeoutMs = 3000): Promise<ScrapeTarget[]> {
  return parseTargets(await getJson(`${baseUrl}/api/v1/targets?state=active`, timeoutMs));
}

export async function instantQuery(baseUrl: string, expr: string, timeoutMs = 3000): Promise<QueryAnswer> {
  return parseQuery(expr, await getJson(`${baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, timeoutMs));
}
