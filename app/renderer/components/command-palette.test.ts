import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../contract/stack.js';
import { faultsFor } from './CommandPalette.js';

const svc = (name: string, role: ServiceStatus['role'], state: ServiceStatus['state']): ServiceStatus => ({
  name,
  role,
  state,
  container: name,
  health: 'none',
  ports: {},
});

describe('the palette offers the faults that make sense for a service as it is', () => {
  it('by role while running, and the way back when not', () => {
    expect(faultsFor(svc('api-2', 'api', 'running'))).toEqual(['kill', 'pause', 'restart', 'slow', 'unslow']);
    expect(faultsFor(svc('db-replica-1', 'db', 'running'))).toEqual(['pause-replay', 'resume-replay', 'stop']);
    expect(faultsFor(svc('db-primary', 'db', 'running'))).toEqual(['stop', 'restart']);
    expect(faultsFor(svc('api-2', 'api', 'exited'))).toEqual(['start']);
    expect(faultsFor(svc('api-2', 'api', 'paused'))).toEqual(['unpause']);
  });
});
