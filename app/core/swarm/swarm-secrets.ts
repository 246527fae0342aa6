// The stack's passwords as Docker secrets on the Swarm target. Swarm keeps a secret encrypted in
// its Raft log and mounts it only into the tasks that name it, under /run/secrets, so no password
// sits in a service's spec or a task's environment (where `docker service inspect` and
// `docker inspect` print it). Each role reads NAME_FILE (stack/*: the entrypoints and the API's
// server-config.ts), the convention of the official images. The decisions are pure; the two
// functions at the end talk to the engine.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { LABEL } from '../runtime/names.js';

/** The variables that hold secrets in the planned specs (plan.ts). */
export const SECRET_ENV = ['DB_PASSWORD', 'REDIS_PASSWORD', 'ADMIN_TOKEN'] as const;
export type SecretEnv = (typeof SECRET_ENV)[number];

export interface SwarmSecretRef {
  id: string;
  name: string;
}
export type SwarmSecrets = Partial<Record<SecretEnv, SwarmSecretRef>>;

/** Where a task finds it: /run/secrets/db_password. */
export const secretPath = (env: SecretEnv) => `/run/secrets/${env.toLowerCase()}`;

/** Swarm's name for one: the stack, the variable, and a digest of the value (a secret cannot be
 *  changed, so a stack made again with new values gets new secrets, not the old ones). */
export function swarmSecretName(stack: string, env: SecretEnv, value: string): string {
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 12);
  return `scalelab-${stack}-${env.toLowerCase().replace('_', '-')}-${digest}`;
}

/** Each secret some spec sets, with its value. An empty one (a stack made before Redis had a
 *  password) stays an empty variable: there is nothing to keep secret. */
export function secretsWanted(envs: Array<Record<string, string>>): Map<SecretEnv, string> {
  const out = new Map<SecretEnv, string>();
  for (const env of envs) for (const k of SECRET_ENV) if (env[k]) out.set(k, env[k]);
  return out;
}

/** A spec's environment for Swarm: each secret it has replaced by NAME_FILE, and the references
 *  that mount those files into its tasks (read-only, root's: the roles start as root). */
export function secretEnv(
  env: Record<string, string>,
  secrets: SwarmSecrets,
): { env: string[]; secrets: Docker.SecretReference[] } {
  const refs: Docker.SecretReference[] = [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    const ref = (SECRET_ENV as readonly string[]).includes(k) && v ? secrets[k as SecretEnv] : undefined;
    if (!ref) {
      out.push(`${k}=${v}`);
      continue;
    }
    out.push(`${k}_FILE=${secretPath(k as SecretEnv)}`);
    refs.push({
      SecretID: ref.id,
      SecretName: ref.name,
      File: { Name: k.toLowerCase(), UID: '0', GID: '0', Mode: 0o400 },
    });
  }
  return { env: out, secrets: refs };
}

/** Makes the secrets that are not there yet (found by name), labelled with the stack so that
 *  down() removes them. */
export async function ensureSecrets(
  docker: Docker,
  stack: string,
  wanted: Map<SecretEnv, string>,
): Promise<SwarmSecrets> {
  const existing = await listed(docker, stack);
  const out: SwarmSecrets = {};
  for (const [env, value] of wanted) {
    const name = swarmSecretName(stack, env, value);
    const found = existing.find((s) => s.Spec?.Name === name);
    // dockerode resolves createSecret with a handle on the new secret (its id).
    const id = found
      ? found.ID
      : (
          (await docker.createSecret({
            Name: name,
            Labels: { [LABEL.stack]: stack },
            Data: Buffer.from(value).toString('base64'),
          })) as { id: string }
        ).id;
    out[env] = { id, name };
  }
  return out;
}

/** Removes the stack's secrets (once no service names them: Swarm refuses a secret in use). */
export async function removeSecrets(docker: Docker, stack: string): Promise<number> {
  const secrets = await listed(docker, stack);
  for (const s of secrets) await docker.getSecret(s.ID).remove();
  return secrets.length;
}

/** The engine's list of the stack's secrets, as the API returns it. */
const listed = async (docker: Docker, stack: string) =>
  (await docker.listSecrets({ filters: { label: [`${LABEL.stack}=${stack}`] } })) as unknown as Array<{
    ID: string;
    Spec?: { Name?: string };
  }>;
