// The edge's own count of its cacheable requests, from its access log (stack/cdn's `edge` format:
// "edge-cache HIT"): nginx's word for each, whoever sent it. Pure: fed lines, read once a second.
import { SERIES } from '../../contract/series.js';

/** nginx's $upstream_cache_status values that mean the origin was asked. */
const ORIGIN_ASKED = new Set(['MISS', 'EXPIRED', 'BYPASS', 'REVALIDATED']);
/** Answered from what the edge kept. */
const SERVED_KEPT = new Set(['HIT', 'STALE', 'UPDATING']);

export class EdgeLogCounter {
  private hits = 0;
  private misses = 0;
  private other = 0;
  private seen = false;

  line(text: string): void {
    const m = /^edge-cache (\S+)$/.exec(text.trim());
    if (!m) return;
    this.seen = true;
    if (SERVED_KEPT.has(m[1]!)) this.hits++;
    else if (ORIGIN_ASKED.has(m[1]!)) this.misses++;
    else this.other++;
  }

  /** This second's counts (then zero); nothing before the edge logged its first line. */
  take(): Record<string, number | null> {
    if (!this.seen) return {};
    const { hits, misses } = this;
    this.hits = this.misses = this.other = 0;
    return {
      [SERIES.edgeHits]: hits,
      [SERIES.edgeMisses]: misses,
      [SERIES.edgeHitRatio]: hits + misses > 0 ? hits / (hits + misses) : null,
    };
  }
}
