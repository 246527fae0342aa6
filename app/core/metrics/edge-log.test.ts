import { describe, expect, it } from 'vitest';
import { SERIES } from '../../contract/series.js';
import { EdgeLogCounter } from './edge-log.js';

describe("the edge's own count, from its access log", () => {
  it('counts what it kept and what it asked the origin for, a second at a time', () => {
    const c = new EdgeLogCounter();
    expect(c.take()).toEqual({});
    // As nginx writes them (stack/cdn's `edge` format); a PUT through a cached location logs "-".
    for (const l of [
      'edge-cache MISS',
      'edge-cache HIT',
      'edge-cache HIT',
      'edge-cache EXPIRED',
      'edge-cache -',
      'edge-cache HIT',
    ])
      c.line(l);
    c.line('2026/11/26 12:00:00 [warn] 7#7: an error line');
    expect(c.take()).toEqual({ [SERIES.edgeHits]: 3, [SERIES.edgeMisses]: 2, [SERIES.edgeHitRatio]: 0.6 });
    // A quiet second after the first: zero, no ratio.
    expect(c.take()).toEqual({ [SERIES.edgeHits]: 0, [SERIES.edgeMisses]: 0, [SERIES.edgeHitRatio]: null });
  });
});
