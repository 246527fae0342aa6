// The demo API's configuration, read from its container's environment once at start.
import { readFileSync } from 'node:fs';
import { apiConfigSchema, type ApiConfig } from './admin-config.js';

export interface ServerConfig {
  instance: string;
  port: number;
  db: { host: string; user: string; password: string; database: string };
  redisHost: string;
  redisPassword: string;
  adminToken: string;
  /** The live switches at start (changed later through /admin/config). */
  switches: ApiConfig;
  seed: { products: number; orders: number; categories: number };
  /** How long a stopping instance keeps serving while the balancer notices it is going. */
  drainMs: number;
  /** The version this image is (x-version), and the regression it was built with, if any: a
   *  version image bakes these in (app/core/runtime/versions.ts). */
  version: { name: string; latencyMs: number; errorRate: number };
}

/** A secret from the environment, or from the file NAME_FILE names (a Docker secret, mounted
 *  under /run/secrets on the Swarm target, as the official images do). */
export function secretFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  return file ? readFileSync(file, 'utf8').trim() : env[name];
}

export function configFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const adminToken = secretFromEnv(env, 'ADMIN_TOKEN') ?? '';
  if (adminToken.length < 16) throw new Error('ADMIN_TOKEN must be set (16+ characters)');
  return {
    instance: env.INSTANCE_NAME ?? 'api',
    port: Number(env.PORT ?? 3000),
    db: {
      host: env.DB_PRIMARY ?? 'db-primary',
      user: env.DB_USER ?? 'scalelab',
      password: secretFromEnv(env, 'DB_PASSWORD') ?? '',
      database: env.DB_NAME ?? 'scalelab',
    },
    redisHost: env.REDIS_HOST ?? 'cache',
    redisPassword: secretFromEnv(env, 'REDIS_PASSWORD') ?? '',
    adminToken,
    switches: apiConfigSchema.parse(JSON.parse(env.SCALELAB_CONFIG ?? 'null')),
    seed: { products: Number(env.SEED_PRODUCTS ?? 10_000), orders: Number(env.SEED_ORDERS ?? 300_000), categories: 20 },
    drainMs: Number(env.DRAIN_MS ?? 1500),
    version: {
      name: env.SCALELAB_VERSION || 'v1',
      latencyMs: Math.max(0, Number(env.SCALELAB_REGRESSION_LATENCY_MS ?? 0) || 0),
      errorRate: Math.min(1, Math.max(0, Number(env.SCALELAB_REGRESSION_ERROR_RATE ?? 0) || 0)),
    },
  };
}
