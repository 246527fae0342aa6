// Docker's per-container samples as series (pure): CPU, memory and throttled periods of each
// container sampled in the last 3 s. A paused container gets no CPU reading: it uses none because
// it serves nothing, and the autoscaler's mean over the instances (as the HPA sets unready pods
// aside) must not read it as an idle instance.
import type { ContainerStats, ServiceStatus } from '../../contract/stack.js';
import { SERIES, seriesKey } from '../../contract/series.js';

const FRESH_MS = 3000;

export function containerSeries(
  samples: Map<string, ContainerStats>,
  services: readonly ServiceStatus[],
  now: number,
): Record<string, number> {
  const paused = new Set(services.filter((s) => s.state === 'paused').map((s) => s.name));
  const out: Record<string, number> = {};
  let throttled = 0;
  for (const [svc, c] of samples) {
    if (now - c.at > FRESH_MS) continue;
    if (!paused.has(svc)) out[seriesKey.container(svc, 'cpu')] = Math.round(c.cpuPercent * 10) / 10;
    out[seriesKey.container(svc, 'mem')] = c.memoryBytes;
    out[seriesKey.container(svc, 'throttled')] = c.throttledPeriods;
    if (c.throttledPeriods > 0) throttled++;
  }
  // How many containers their CPU limit held back this second: their latency is about the limit.
  if (samples.size) out[SERIES.throttledContainers] = throttled;
  return out;
}
