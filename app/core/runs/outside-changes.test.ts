import { describe, expect, it } from 'vitest';
import { EXPLAINED_MS, OutsideChanges } from './outside-changes.js';

const t0 = 1_800_000_000_000;
const ev = (service: string, action: 'die' | 'kill' | 'pause' | 'start' | 'stop', at: number, detail?: string) => ({
  service,
  action,
  at,
  ...(detail ? { detail } : {}),
});

describe('changes made outside this process', () => {
  it("records another process's fault once: the log line, not the container events it caused", () => {
    const o = new OutsideChanges(1);
    // The other process logs its fault when done: after the kill's events.
    const rec = o.logged({
      t: t0,
      kind: 'fault',
      label: 'kill api-2',
      detail: { service: 'api-2', kind: 'kill' },
      pid: 2,
      services: ['api-2'],
    });
    expect(rec).toEqual({
      kind: 'fault',
      label: 'kill api-2',
      detail: { service: 'api-2', kind: 'kill', by: 'another ScaleLab process (pid 2)' },
    });
    expect(o.container(ev('api-2', 'kill', t0 + 10, '9'))).toBeNull();
    expect(o.container(ev('api-2', 'die', t0 + 20, '137'))).toBeNull();
  });

  it('skips its own log lines and the events of services its own changes touched', () => {
    const o = new OutsideChanges(1);
    expect(o.logged({ t: t0, kind: 'switch', label: 'api.instances: 3 → 2', pid: 1, services: ['api-3'] })).toBeNull();
    expect(o.container(ev('api-3', 'die', t0 + 5_000, '0'))).toBeNull();
    o.own(['cache'], t0);
    expect(o.container(ev('cache', 'die', t0 + 1_000, '0'))).toBeNull();
  });

  it('records what Docker alone saw: a container killed or paused outside ScaleLab', () => {
    const o = new OutsideChanges(1);
    expect(o.container(ev('api-1', 'kill', t0, '9'))).toBeNull();
    expect(o.container(ev('api-1', 'die', t0 + 5, '137'))).toMatchObject({
      kind: 'fault',
      label: 'api-1 exited (code 137)',
    });
    expect(o.container(ev('db-replica-1', 'pause', t0))).toMatchObject({ label: 'pause db-replica-1' });
    // A change explains its services' events for a while only.
    o.own(['api-2'], t0);
    expect(o.container(ev('api-2', 'start', t0 + EXPLAINED_MS + 1))).toMatchObject({ label: 'start api-2' });
  });
});
