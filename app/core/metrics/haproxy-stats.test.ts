// HAProxy's stats as HAProxy 2.6 (the base image's) printed them on a real stack: three API
// instances behind server-template slots, then api-2 paused, then api-2 killed, and (another
// stack) api-2 slowed to a tenth of its CPU under 300 requests/s (testdata/).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../contract/stack.js';
import { balancerServers, parseHaproxyCsv } from './haproxy-stats.js';

const csv = (name: string) =>
  readFileSync(path.join(import.meta.dirname, 'testdata', `haproxy-stats-${name}.csv`), 'utf8');
const api = (name: string, ip: string, state: ServiceStatus['state'] = 'running'): ServiceStatus => ({
  name,
  role: 'api',
  container: `scalelab-probe-${name}`,
  state,
  health: 'none',
  ports: {},
  ...(state === 'exited' ? {} : { ip }),
});
// The addresses Docker gave the containers on that stack.
const apis = [api('api-1', '172.18.0.5'), api('api-2', '172.18.0.4'), api('api-3', '172.18.0.6')];
const view = (servers: ReturnType<typeof balancerServers>) =>
  Object.fromEntries(servers.map((s) => [s.service, { up: s.up, slots: s.requests.map((r) => r.slot) }]));

describe("HAProxy's servers, named by container", () => {
  it('reads the slots with their addresses; slots with no address are kept apart', () => {
    const rows = parseHaproxyCsv(csv('3-up'));
    expect(rows.map((r) => r.slot)).toEqual(['api1', 'api2', 'api3', 'api4', 'api5', 'api6', 'api7', 'api8']);
    expect(rows.slice(0, 3).map((r) => r.addr)).toEqual(['172.18.0.5:3000', '172.18.0.6:3000', '172.18.0.4:3000']);
    expect(rows[3]).toMatchObject({ addr: '', status: 'MAINT (resolution)' });
  });

  it('names each server by the container its address belongs to, not by its slot (slot api2 is api-3 here)', () => {
    expect(view(balancerServers(parseHaproxyCsv(csv('3-up')), apis))).toEqual({
      'api-1': { up: true, slots: ['api1'] },
      'api-2': { up: true, slots: ['api3'] },
      'api-3': { up: true, slots: ['api2'] },
    });
  });

  it('shows a paused instance down as soon as HAProxy marks its slot down', () => {
    expect(view(balancerServers(parseHaproxyCsv(csv('api-2-paused')), apis))['api-2']).toEqual({
      up: false,
      slots: ['api3'],
    });
  });

  it('shows a killed instance down (no slot points at it any more), and the others up under their own names', () => {
    const rows = parseHaproxyCsv(csv('api-2-killed'));
    const killed = [apis[0], api('api-2', '', 'exited'), apis[2]];
    expect(view(balancerServers(rows, killed))).toEqual({
      'api-1': { up: true, slots: ['api1'] },
      'api-2': { up: false, slots: [] },
      'api-3': { up: true, slots: ['api2'] },
    });
    // Before the stack's list of containers catches up, the killed container still has its address: still down.
    expect(view(balancerServers(rows, apis))['api-2'].up).toBe(false);
  });

  it("reads each server's sessions, queue and mean response time, by container: the slow one stands out", () => {
    const slowStack = [api('api-1', '172.29.0.4'), api('api-2', '172.29.0.5'), api('api-3', '172.29.0.3')];
    const servers = balancerServers(parseHaproxyCsv(csv('api-2-slow')), slowStack);
    expect(Object.fromEntries(servers.map((s) => [s.service, [s.rtimeMs, s.sessions, s.queue]]))).toEqual({
      'api-1': [4, 0, 0],
      'api-2': [27, 0, 0],
      'api-3': [4, 0, 0],
    });
    // An instance no UP slot points at has no response time to show.
    const killed = [apis[0], api('api-2', '', 'exited'), apis[2]];
    expect(balancerServers(parseHaproxyCsv(csv('api-2-killed')), killed)[1].rtimeMs).toBeNull();
  });
});
