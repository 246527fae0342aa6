import { describe, expect, it } from 'vitest';
import type { ServiceStatus, StackStatus } from '../contract/stack.js';
import { parseTopology } from '../core/topology/schema.js';
import { statusText } from './print-status.js';

const api = (name: string, version: string): ServiceStatus => ({
  name,
  role: 'api',
  container: `lab-${name}`,
  state: 'running',
  health: 'healthy',
  ports: { api: '127.0.0.1:30000' },
  version,
});
const status = (services: ServiceStatus[]): StackStatus =>
  ({
    stack: 'lab',
    running: true,
    topology: parseTopology({ api: { instances: 2 }, loadBalancer: { enabled: true } }),
    services,
    entryUrl: 'http://127.0.0.1:8080',
    lbUrl: null,
    edgeUrl: null,
    statsUrl: null,
    tlsUrl: null,
  }) as StackStatus;

describe('scalelab status', () => {
  it("names each instance's version, and says when two versions serve at once", () => {
    const mixed = statusText(status([api('api-1', 'v1'), api('api-2', 'v1'), api('api-3', 'v2'), api('api-4', 'v2')]));
    expect(mixed).toContain('api-3 (v2)');
    expect(mixed).toMatch(/versions {5}v1 on api-1, api-2; v2 on api-3, api-4: a deploy is running, or was cut short/);
    expect(mixed).toContain('brings every instance back to v1');
    expect(statusText(status([api('api-1', 'v1'), api('api-2', 'v1')]))).not.toMatch(/versions/);
  });

  it('on Swarm, names each node with the tasks of the stack it runs', () => {
    const text = statusText({
      ...status([
        { ...api('api-1', 'v1'), node: 'n1' },
        { ...api('api-2', 'v1'), node: 'n3', remote: true, ports: {} },
      ]),
      target: 'swarm',
      nodes: [
        { hostname: 'n1', role: 'manager', state: 'ready', availability: 'active', services: ['api-1', 'db-primary'] },
        { hostname: 'n2', role: 'worker', state: 'ready', availability: 'drain', services: [] },
      ],
    });
    expect(text).toContain('swarm node   n1 (manager, ready, active): api-1, db-primary');
    expect(text).toContain('swarm node   n2 (worker, ready, drain): no tasks of this stack');
    // Each task's node; one on another node with what Swarm says of it, and no address from here.
    expect(text).toMatch(/^SERVICE +STATE +HEALTH +NODE +ADDRESS$/m);
    expect(text).toMatch(/^api-1 \(v1\) +running +healthy +n1 +api 127\.0\.0\.1:30000$/m);
    expect(text).toMatch(/^api-2 \(v1\) +running +healthy +n3 +\(on another node: as Swarm reports it\)$/m);
  });
});
