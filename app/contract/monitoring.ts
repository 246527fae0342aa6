// The stack's own monitoring (topology.monitoring): Prometheus's targets and queries, the alert
// rules, and the alerts Alertmanager holds, as every host and the console see them.

/** A rules file of the user's own is at most this long (Prometheus's own files are a few KB). */
export const MAX_RULES_LENGTH = 65_536;

/** PromQL queries charted beside the console's own series (monitoring.queries): a few, each a chart. */
export const MAX_CHARTED_QUERIES = 4;

/** One alert active now (Alertmanager's view). */
export interface ActiveAlertInfo {
  name: string;
  /** The scrape target it is about (a service's name), when its rule keeps one. */
  instance: string | null;
  severity: string | null;
  summary: string;
  /** When it started firing (ms). */
  startsAt: number;
}

/** One of Prometheus's scrape targets and how its last scrape went. */
export interface ScrapeTarget {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  /** How long its last scrape took (ms). */
  lastScrapeMs: number;
}

/** The rules Prometheus evaluates: the user's own file, or those made from the thresholds. */
export interface AlertRulesInfo {
  yaml: string;
  custom: boolean;
}

/** `promtool check rules` on a rules file: ok, and promtool's own words. */
export interface RulesCheck {
  ok: boolean;
  output: string;
}

/** An instant PromQL query's answer: one value per series (a scalar is one series without labels). */
export interface QueryAnswer {
  expr: string;
  series: Array<{ labels: Record<string, string>; value: number | null }>;
}
