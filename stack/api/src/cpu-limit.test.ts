// The CPU limit Docker sets (a cgroup quota) and the workers an API instance runs for it.
import { describe, expect, it } from 'vitest';
import { quotaCpus, workersFor } from './cpu-limit.js';

describe('the CPU limit', () => {
  it("reads cgroup v2's cpu.max and v1's quota and period", () => {
    expect(quotaCpus('50000 100000\n')).toBe(0.5);
    expect(quotaCpus('200000 100000')).toBe(2);
    expect(quotaCpus('max 100000')).toBeNull();
    expect(quotaCpus(null, { quota: '25000', period: '100000' })).toBe(0.25);
    expect(quotaCpus(null, { quota: '-1', period: '100000' })).toBeNull();
    expect(quotaCpus(null)).toBeNull();
  });

  it('runs one worker per whole CPU allowed, one for a part of one, at most one per core', () => {
    expect(workersFor(0.25, 2)).toBe(1);
    expect(workersFor(1, 2)).toBe(1);
    expect(workersFor(1.5, 2)).toBe(2);
    expect(workersFor(2, 2)).toBe(2);
    expect(workersFor(4, 2)).toBe(2);
    expect(workersFor(null, 2)).toBe(2);
  });
});
