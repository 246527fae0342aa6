// A pure, incremental parser of k6's `--out json` stream (NDJSON, arriving in chunks that may
// cut a line anywhere). It turns k6's points into the same request samples the built-in engine
// records, so both engines fill identical one-second windows. Formats: ../shared/fixtures/k6.
//
// Volume matters (about 8 lines per request), so lines of metrics that are not used are skipped
// by their prefix, without JSON.parse.
//
// Samples come from `scalelab_latency` points when the script emits them (load-scripts/k6/workload.js
// tags each with endpoint, status, instance, cache and database node read from the response
// headers); otherwise, for a user's own script, from k6's http_req_duration.
import { failureOfK6Code } from './failure-reason.js';
import type { RequestSample } from './window-aggregator.js';

export interface K6Metric {
  name: string;
  type: string;
  contains: string;
  thresholds: string[];
}

export interface K6JsonEvents {
  sample(s: RequestSample): void;
  dropped?(at: number, count: number): void;
  /** Server-Timing parts, from `scalelab_timing` points tagged part=cache|db|app. */
  timing?(at: number, part: string, ms: number): void;
  vus?(at: number, vus: number): void;
  metric?(m: K6Metric): void;
}

interface Point {
  metric: string;
  type: 'Point';
  data: { time: string; value: number; tags: Record<string, string> };
}

const USED = ['scalelab_latency', 'http_req_duration', 'dropped_iterations', 'scalelab_timing', 'vus"'];
const POINT_PREFIX = '{"metric":"';

export class K6JsonParser {
  private rest = '';
  private ownLatency = false;
  readonly stats = { lines: 0, points: 0, skipped: 0, bad: 0 };

  constructor(private readonly on: K6JsonEvents) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      this.line(text, start, nl);
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  /** The stream ended: a last line without a newline is parsed if whole. */
  end(): void {
    if (this.rest.trim()) this.line(this.rest, 0, this.rest.length);
    this.rest = '';
  }

  private line(text: string, from: number, to: number): void {
    this.stats.lines++;
    if (text.startsWith(POINT_PREFIX, from)) {
      const nameStart = from + POINT_PREFIX.length;
      if (!USED.some((m) => text.startsWith(m, nameStart))) {
        this.stats.skipped++;
        return;
      }
    }
    let obj: Point | { type: 'Metric'; data: K6Metric };
    try {
      obj = JSON.parse(text.slice(from, to));
    } catch {
      this.stats.bad++;
      return;
    }
    if (obj.type === 'Metric') {
      const d = obj.data;
      this.on.metric?.({
        name: d.name,
        type: d.type,
        contains: d.contains,
        thresholds: (d.thresholds ?? []).map((t: unknown) =>
          typeof t === 'string' ? t : (t as { threshold: string }).threshold,
        ),
      });
      return;
    }
    if (obj.type !== 'Point') return;
    this.stats.points++;
    const { time, value, tags } = obj.data;
    const at = Date.parse(time);
    switch (obj.metric) {
      case 'scalelab_latency': {
        this.ownLatency = true;
        const status = Number(tags.status ?? 0);
        this.on.sample({
          at,
          latencyMs: value,
          endpoint: tags.endpoint ?? tags.name ?? 'unknown',
          status,
          failure: failureOfK6Code(tags.error_code || undefined, status),
          instance: tags.instance || undefined,
          cache: tags.cache || undefined,
          dbNode: tags.db || undefined,
          stale: tags.stale === '1',
          session: tags.session || undefined,
          clientClass: tags.client_class || undefined,
          version: tags.version || undefined,
        });
        return;
      }
      case 'http_req_duration': {
        if (this.ownLatency) return;
        const status = Number(tags.status ?? 0);
        this.on.sample({
          at,
          latencyMs: value,
          endpoint: tags.endpoint ?? tags.name ?? tags.url ?? 'unknown',
          status,
          failure: failureOfK6Code(tags.error_code, status),
        });
        return;
      }
      case 'dropped_iterations':
        this.on.dropped?.(at, value);
        return;
      case 'scalelab_timing':
        if (tags.part) this.on.timing?.(at, tags.part, value);
        return;
      case 'vus':
        this.on.vus?.(at, value);
        return;
    }
  }
}
