import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('one change of the stack at a time, across processes', () => {
  const file = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'lock-')), 'stacks', 'lab.lock');

  it('refuses while another live process holds the lock file, naming it', async () => {
    const f = file();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, JSON.stringify({ pid: other.pid, what: 'a canary deploy to v2', since: Date.now() }));
      await expect(new ApplyLock(f).exclusive('api.instances', async () => 1)).rejects.toThrow(
        `a canary deploy to v2 is still being applied by another ScaleLab process (pid ${other.pid})`,
      );
      expect(existsSync(f)).toBe(true);
    } finally {
      other.kill();
    }
  });

  it("takes over a gone process's lock, and leaves no file behind", async () => {
    const f = file();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('exit', r));
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, JSON.stringify({ pid: gone.pid, what: 'api.version', since: Date.now() }));
    const lock = new ApplyLock(f);
    await expect(
      lock.exclusive('api.instances', async () => JSON.parse(readFileSync(f, 'utf8')).pid as number),
    ).resolves.toBe(process.pid);
    expect(existsSync(f)).toBe(false);
  });
});
