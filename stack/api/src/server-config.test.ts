// The API's configuration from its environment: a secret given as a file (a Docker secret on the
// Swarm target) is read from that file; given as a value, the value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './server-config.js';
import { switches } from './test-server.js';

describe('the API configuration', () => {
  it('reads each secret from the file NAME_FILE names, else from NAME', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-secrets-'));
    const file = (name: string, value: string) => {
      writeFileSync(path.join(dir, name), `${value}\n`);
      return path.join(dir, name);
    };
    const c = configFromEnv({
      ADMIN_TOKEN_FILE: file('admin_token', 'from-a-file-0123456789'),
      DB_PASSWORD_FILE: file('db_password', 'db-from-file'),
      REDIS_PASSWORD: 'redis-from-env',
      SCALELAB_CONFIG: JSON.stringify(switches()),
    });
    expect(c.adminToken).toBe('from-a-file-0123456789');
    expect(c.db.password).toBe('db-from-file');
    expect(c.redisPassword).toBe('redis-from-env');
  });

  it('refuses to start without an admin token, from either', () => {
    expect(() => configFromEnv({})).toThrow(/ADMIN_TOKEN must be set/);
  });
});
