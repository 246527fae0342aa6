// The topology's traffic settings that have grown a schema of their own: the autoscaler (the
// Kubernetes HPA's settings, at a lab's pace) and the rate limits (HAProxy's per address, the
// API's per client id in Redis). schema.ts puts them in the topology.
import { z } from 'zod';
import { AUTOSCALE_METRICS, CLIENT_LIMIT_ALGORITHMS } from '../../contract/topology.js';

export const MAX_API_INSTANCES = 8;

export const RATE_LIMIT_DEFAULTS = {
  perClient: false,
  algorithm: 'fixed-window' as const,
  clientLimit: 20,
  windowSeconds: 1,
  clientHeader: 'x-client-id',
};
/** Headers a client id must not hide in: HTTP, cookies, proxies and the API's own give them a meaning. */
const RESERVED_HEADERS = new Set([
  'host',
  'cookie',
  'authorization',
  'content-length',
  'content-type',
  'connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'proxy-authorization',
  'x-forwarded-for',
]);

export const AUTOSCALE_DEFAULTS = {
  enabled: false,
  min: 1,
  max: 4,
  metric: 'cpu' as const,
  targetCpuPercent: 60,
  targetP95Ms: 200,
  periodSeconds: 5,
  scaleUpStabilizationSeconds: 0,
  scaleDownStabilizationSeconds: 30,
};
/** The HPA's settings, with a lab's pace: evaluated every 5 s (not 15), a 30 s scale-down window (not 300). */
export const autoscaleSchema = z
  .strictObject({
    enabled: z.boolean().default(AUTOSCALE_DEFAULTS.enabled),
    min: z.number().int().min(1).max(MAX_API_INSTANCES).default(AUTOSCALE_DEFAULTS.min),
    max: z.number().int().min(1).max(MAX_API_INSTANCES).default(AUTOSCALE_DEFAULTS.max),
    metric: z.enum(AUTOSCALE_METRICS).default(AUTOSCALE_DEFAULTS.metric),
    targetCpuPercent: z.number().int().min(5).max(100).default(AUTOSCALE_DEFAULTS.targetCpuPercent),
    targetP95Ms: z.number().int().min(1).max(60_000).default(AUTOSCALE_DEFAULTS.targetP95Ms),
    periodSeconds: z.number().int().min(1).max(60).default(AUTOSCALE_DEFAULTS.periodSeconds),
    scaleUpStabilizationSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(AUTOSCALE_DEFAULTS.scaleUpStabilizationSeconds),
    scaleDownStabilizationSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(AUTOSCALE_DEFAULTS.scaleDownStabilizationSeconds),
  })
  .default(AUTOSCALE_DEFAULTS);

export const rateLimitSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Requests per second per client address, enforced by the load balancer. */
    requestsPerSecond: z.number().int().min(1).max(100_000).default(200),
    perClient: z.boolean().default(RATE_LIMIT_DEFAULTS.perClient),
    algorithm: z.enum(CLIENT_LIMIT_ALGORITHMS).default(RATE_LIMIT_DEFAULTS.algorithm),
    clientLimit: z.number().int().min(1).max(1_000_000).default(RATE_LIMIT_DEFAULTS.clientLimit),
    windowSeconds: z.number().int().min(1).max(3600).default(RATE_LIMIT_DEFAULTS.windowSeconds),
    /** A request header name (an HTTP token, lower case), not one HTTP itself gives a meaning. */
    clientHeader: z
      .string()
      .regex(/^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'a header name: lower-case letters, digits and - (an HTTP token)')
      .refine((h) => !RESERVED_HEADERS.has(h), 'a header HTTP already gives a meaning to')
      .default(RATE_LIMIT_DEFAULTS.clientHeader),
  })
  .default({ enabled: false, requestsPerSecond: 200, ...RATE_LIMIT_DEFAULTS });
