import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceStatus } from '../../contract/stack.js';
import { FAMILY, seriesKey } from '../../contract/series.js';
import { ApiSeriesReader } from './api-series.js';

const remoteTask: ServiceStatus = {
  name: 'api-3',
  role: 'api',
  container: 'c3',
  state: 'running',
  health: 'healthy',
  ports: {},
  ip: '10.0.1.7',
  remote: true,
  node: 'worker-1',
};
const metrics = (requests: number, cpuSeconds: number) =>
  [
    `scalelab_http_requests_total{route="/products/:id",status="200"} ${requests}`,
    `process_cpu_seconds_total ${cpuSeconds}`,
    '',
  ].join('\n');

afterEach(() => {
  vi.useRealTimers();
});

describe("each API instance's own counters", () => {
  it('reads a task on another Swarm node at its overlay address, its CPU from the process counter', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const asked: string[][] = [];
    let reading = metrics(100, 2.0);
    const reader = new ApiSeriesReader(async (urls) => {
      asked.push(urls);
      return urls.map(() => reading);
    });
    const first = await reader.series([remoteTask]);
    expect(asked).toEqual([['http://10.0.1.7:3000/metrics']]);
    expect(first.series[FAMILY.apiRps.key('api-3')]).toBeNull();
    vi.setSystemTime(1_002_000);
    reading = metrics(300, 2.5);
    const second = await reader.series([remoteTask]);
    expect(second.series[FAMILY.apiRps.key('api-3')]).toBe(200);
    // Half a CPU second over two seconds: a quarter of one core.
    expect(second.series[seriesKey.container('api-3', 'cpu')]).toBe(25);
  });

  it("leaves a task that did not answer out, and never asks the overlay for this engine's own", async () => {
    const reader = new ApiSeriesReader(async (urls) => urls.map(() => null));
    const local: ServiceStatus = { ...remoteTask, name: 'api-1', remote: false, ports: { api: '127.0.0.1:9' } };
    const out = await reader.series([local, remoteTask]);
    expect(out.series[FAMILY.apiRps.key('api-3')]).toBeUndefined();
    expect(out.series[seriesKey.container('api-1', 'cpu')]).toBeUndefined();
  });
});
