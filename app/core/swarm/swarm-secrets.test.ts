// The stack's passwords as Docker secrets (pure): which ones a stack needs, their names, and each
// spec's environment with the files in place of the values.
import { describe, expect, it } from 'vitest';
import { plan } from '../topology/plan.js';
import { getPreset } from '../topology/presets.js';
import { parseTopology } from '../topology/schema.js';
import { secretEnv, secretsWanted, swarmSecretName } from './swarm-secrets.js';
import { swarmServices } from './swarm-spec.js';

const ctx = { adminToken: 'token-0123456789abcdef', dbPassword: 'db-secret', redisPassword: 'redis-secret' };
const images = { api: 'img-api', lb: 'img-lb', cache: 'img-cache', db: 'img-db' } as never;
const refs = {
  DB_PASSWORD: { id: 'id-db', name: 'n-db' },
  REDIS_PASSWORD: { id: 'id-redis', name: 'n-redis' },
  ADMIN_TOKEN: { id: 'id-admin', name: 'n-admin' },
};

describe('Docker secrets for the Swarm target', () => {
  const t = parseTopology({ ...getPreset('load-balanced').topology, cache: { enabled: true } });
  const specs = plan(t, ctx);

  it('wants each password the specs set, once, and no secret of an empty one', () => {
    expect(Object.fromEntries(secretsWanted(specs.map((s) => s.env)))).toEqual({
      DB_PASSWORD: 'db-secret',
      REDIS_PASSWORD: 'redis-secret',
      ADMIN_TOKEN: 'token-0123456789abcdef',
    });
    expect([...secretsWanted([{ REDIS_PASSWORD: '', PORT: '3000' }]).keys()]).toEqual([]);
  });

  it('names a secret by stack, variable and a digest of its value: a new value, a new secret', () => {
    expect(swarmSecretName('s', 'DB_PASSWORD', 'a')).toMatch(/^scalelab-s-db-password-[0-9a-f]{12}$/);
    expect(swarmSecretName('s', 'DB_PASSWORD', 'a')).not.toBe(swarmSecretName('s', 'DB_PASSWORD', 'b'));
  });

  it('puts NAME_FILE in the environment and mounts the file, read-only, in place of the value', () => {
    const { env, secrets } = secretEnv({ DB_PASSWORD: 'x', PORT: '3000', REDIS_PASSWORD: '' }, refs);
    expect(env).toEqual(['DB_PASSWORD_FILE=/run/secrets/db_password', 'PORT=3000', 'REDIS_PASSWORD=']);
    expect(secrets).toEqual([
      { SecretID: 'id-db', SecretName: 'n-db', File: { Name: 'db_password', UID: '0', GID: '0', Mode: 0o400 } },
    ]);
  });

  it('leaves no password in any service spec, each task naming the secrets it reads', () => {
    const services = swarmServices(specs, { stack: 's', images, appVersion: '1', secrets: refs });
    const spec = JSON.stringify(services);
    for (const v of Object.values(ctx)) expect(spec).not.toContain(v);
    const mounted = (name: string) =>
      (
        services.find((s) => s.Name === name)!.TaskTemplate as {
          ContainerSpec: { Secrets: Array<{ SecretName: string }> };
        }
      ).ContainerSpec.Secrets.map((s) => s.SecretName).sort();
    expect(mounted('scalelab-s-api')).toEqual(['n-admin', 'n-db', 'n-redis']);
    expect(mounted('scalelab-s-db-primary')).toEqual(['n-db']);
    expect(mounted('scalelab-s-cache')).toEqual(['n-redis']);
  });
});
