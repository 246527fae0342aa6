// The topology's monitoring: a real Prometheus and Alertmanager in the stack, and the alert
// thresholds its rules are made from (the guide's: errors over 5%, p95 over 1 s; and lag, hit
// ratio, an instance down). schema.ts puts it in the topology.
import { z } from 'zod';
import { MAX_CHARTED_QUERIES, MAX_RULES_LENGTH } from '../../contract/monitoring.js';

export const ALERT_DEFAULTS = {
  /** Share of requests answered 5xx, over the rule's window. */
  errorRate: 0.05,
  p95Ms: 1000,
  /** A replica's replay lag (postgres_exporter's pg_replication_lag). */
  lagSeconds: 5,
  /** Redis's hit ratio below this, while it is being asked. */
  hitRatioBelow: 0.5,
  /** How long a condition holds before its alert fires (the rules' `for:`). */
  forSeconds: 10,
};

export const MONITORING_DEFAULTS = {
  enabled: false,
  scrapeSeconds: 2,
  alerts: ALERT_DEFAULTS,
  rules: null,
  queries: [],
};

export const monitoringSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** Between two scrapes, and two evaluations of the rules: short, so a lesson sees an alert soon. */
    scrapeSeconds: z.number().int().min(1).max(60).default(2),
    alerts: z
      .strictObject({
        errorRate: z.number().min(0.001).max(1).default(ALERT_DEFAULTS.errorRate),
        p95Ms: z.number().int().min(1).max(60_000).default(ALERT_DEFAULTS.p95Ms),
        lagSeconds: z.number().min(0.1).max(3600).default(ALERT_DEFAULTS.lagSeconds),
        hitRatioBelow: z.number().min(0).max(1).default(ALERT_DEFAULTS.hitRatioBelow),
        forSeconds: z.number().int().min(0).max(3600).default(ALERT_DEFAULTS.forSeconds),
      })
      .default(ALERT_DEFAULTS),
    /** The user's own rules file (Prometheus's format), instead of the rules made from `alerts`;
     *  promtool checks it before Prometheus is given it. null: the rules made from `alerts`. */
    rules: z.string().min(1).max(MAX_RULES_LENGTH).nullable().default(null),
    /** PromQL queries the engine asks the stack's Prometheus each second of a run, each a chart of
     *  its own (series query.<n>-<labels>). */
    queries: z.array(z.string().trim().min(1).max(500)).max(MAX_CHARTED_QUERIES).default([]),
  })
  .default(MONITORING_DEFAULTS);
