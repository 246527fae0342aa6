import { describe, expect, it } from 'vitest';
import { ApplyLock } from './apply-lock.js';

describe('one change of the stack at a time', () => {
  it('refuses a second change while one runs, naming it, and takes the next once it is done', async () => {
    const lock = new ApplyLock();
    let release!: () => void;
    const first = lock.exclusive('api.version', () => new Promise<string>((r) => (release = () => r('rolled'))));
    await expect(lock.exclusive('api.instances', async () => 'scaled')).rejects.toThrow(
      'api.version is still being applied: one change of the stack at a time',
    );
    release();
    await expect(first).resolves.toBe('rolled');
    await expect(lock.exclusive('api.instances', async () => 'scaled')).resolves.toBe('scaled');
    // A change that failed frees the lock too.
    await expect(lock.exclusive('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.exclusive('y', async () => 1)).resolves.toBe(1);
  });
});
