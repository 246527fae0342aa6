import { describe, expect, it } from 'vitest';
import type { ContainerStats, ServiceStatus } from '../../contract/stack.js';
import { SERIES, seriesKey } from '../../contract/series.js';
import { containerSeries } from './container-series.js';

const sample = (service: string, at: number, cpuPercent: number, throttledPeriods = 0): ContainerStats =>
  ({ service, at, cpuPercent, memoryBytes: 1e8, throttledPeriods }) as ContainerStats;
const svc = (name: string, state: ServiceStatus['state']) => ({ name, state }) as ServiceStatus;

describe("the containers' series", () => {
  it('reads each fresh sample, but no CPU of a paused instance (it serves nothing: no reading of the load)', () => {
    const samples = new Map([
      ['api-1', sample('api-1', 10_000, 80.04, 3)],
      ['api-2', sample('api-2', 10_000, 0)],
      ['api-3', sample('api-3', 5_000, 50)],
    ]);
    const out = containerSeries(samples, [svc('api-1', 'running'), svc('api-2', 'paused')], 10_500);
    expect(out[seriesKey.container('api-1', 'cpu')]).toBe(80);
    expect(out).not.toHaveProperty(seriesKey.container('api-2', 'cpu'));
    expect(out[seriesKey.container('api-2', 'mem')]).toBe(1e8);
    // A sample older than 3 s is not this second's.
    expect(out).not.toHaveProperty(seriesKey.container('api-3', 'cpu'));
    expect(out[SERIES.throttledContainers]).toBe(1);
  });
});
