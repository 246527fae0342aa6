// Whether a run measured the stack or its own load generator: too many seconds in which the
// generator was itself the bottleneck (window-aggregator.ts marks each: behind schedule, out of
// CPU or of connections), or too many requests the open model had to drop, and the run is marked
// distorted wherever it is shown. Latency is from each request's scheduled time with the built-in
// engine (a stalled generator shows as latency, not as fewer samples: coordinated omission
// corrected); k6 times from when it sent. Pure.
import type { EngineKind, GeneratorSummary } from '../../contract/load.js';
import type { MeasurementVerdict } from '../../contract/measurement.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';
import { segmentShare } from '../load/k6-segments.js';

/** Above these shares the figures are about the generator; a generator of a split run that
 *  measured less than this part of its segment's share did not run the test it was given. */
export const DISTORTED = { saturatedShare: 0.1, droppedShare: 0.01, generatorShortfall: 0.75 };

export function measurementVerdict(
  points: TimelinePoint[],
  engine: EngineKind,
  generators: GeneratorSummary[] = [],
): MeasurementVerdict {
  const values = (key: string) => points.map((p) => p.v[key]).filter((v): v is number => typeof v === 'number');
  const total = (key: string) => values(key).reduce((a, b) => a + b, 0);
  const seconds = points.length;
  const saturatedSeconds = values(SERIES.genSaturated).filter((v) => v === 1).length;
  const dropped = total(SERIES.dropped);
  const sent = total(SERIES.sent);
  const reasons: string[] = [];
  // Two seconds at least: one alone is a run's start (threads booting, code compiling).
  if (saturatedSeconds >= 2 && saturatedSeconds / seconds > DISTORTED.saturatedShare)
    reasons.push(
      `the load generator was the bottleneck in ${saturatedSeconds} of ${seconds} seconds (behind schedule, out of CPU or of connections)`,
    );
  if (dropped > 0 && dropped / Math.max(1, sent + dropped) > DISTORTED.droppedShare)
    reasons.push(`the open model dropped ${dropped} of ${sent + dropped} requests it was due to send`);
  reasons.push(...generatorReasons(generators));
  return {
    verdict: reasons.length ? 'distorted' : 'sound',
    reasons,
    saturatedSeconds,
    seconds,
    dropped,
    sent,
    lateMsMax: Math.max(0, ...values(SERIES.genLateMs)),
    cpuMax: Math.max(0, ...values(SERIES.genCpu)),
    latencyFrom: engine === 'builtin' ? 'scheduled' : 'sent',
  };
}

/** Each generator of a split run judged on its own: one that dropped its part, or measured far
 *  less than its segment's share, is hidden in the totals of the others. */
function generatorReasons(generators: GeneratorSummary[]): string[] {
  const requests = generators.reduce((a, g) => a + g.requests, 0);
  const reasons: string[] = [];
  for (const g of generators) {
    const due = g.requests + g.dropped;
    if (g.dropped > 0 && g.dropped / due > DISTORTED.droppedShare)
      reasons.push(`generator ${g.name} dropped ${g.dropped} of the ${due} requests of its segment (${g.segment})`);
    const expected = requests * segmentShare(g.segment);
    if (requests >= 20 * generators.length && g.requests < expected * DISTORTED.generatorShortfall)
      reasons.push(
        `generator ${g.name} measured ${g.requests} responses where its segment (${g.segment}) is ${Math.round(expected)} of them`,
      );
  }
  return reasons;
}
