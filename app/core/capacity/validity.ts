// Whether a run measured the stack or its own load generator: too many seconds in which the
// generator was itself the bottleneck (window-aggregator.ts marks each: behind schedule, out of
// CPU or of connections), or too many requests the open model had to drop, and the run is marked
// distorted wherever it is shown. Latency is from each request's scheduled time with the built-in
// engine (a stalled generator shows as latency, not as fewer samples: coordinated omission
// corrected); k6 times from when it sent. Pure.
import type { EngineKind } from '../../contract/load.js';
import type { MeasurementVerdict } from '../../contract/measurement.js';
import type { TimelinePoint } from '../../contract/runs.js';
import { SERIES } from '../../contract/series.js';

/** Above these shares the figures are about the generator. */
export const DISTORTED = { saturatedShare: 0.1, droppedShare: 0.01 };

export function measurementVerdict(points: TimelinePoint[], engine: EngineKind): MeasurementVerdict {
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
