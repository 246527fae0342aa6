// The images: scalelab/base (one per package list) and thin role images built FROM it with
// dockerode. Tags are content hashes, so a changed config or API bundle makes a new image
// and an unchanged one is never rebuilt.
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../topology/plan.js';
import { ImageUnavailableError } from './errors.js';

export interface ImageProgress {
  image: string;
  message: string;
  progress?: number;
}

/** Files of each role's build context, relative to stack/<role>/. */
export const ROLE_FILES: Record<Role, string[]> = {
  api: ['Dockerfile', 'dist/server.js'],
  db: [
    'Dockerfile',
    'postgresql.conf',
    'pg_hba.conf',
    'db-entrypoint.sh',
    'pooler-config.sh',
    'patroni-config.sh',
    'bootstrap-from-template.sh',
    'exporter-queries.yaml',
  ],
  cache: ['Dockerfile', 'cache-entrypoint.sh'],
  lb: ['Dockerfile', 'haproxy.cfg.tmpl', 'lb-entrypoint.sh'],
  cdn: ['Dockerfile', 'nginx.conf.tmpl', 'cdn-entrypoint.sh'],
  etcd: ['Dockerfile', 'etcd-entrypoint.sh'],
  dbrouter: ['Dockerfile', 'dbrouter-entrypoint.sh'],
  prometheus: ['Dockerfile', 'prometheus-entrypoint.sh'],
  alertmanager: ['Dockerfile', 'alertmanager.yml'],
  'redis-exporter': ['Dockerfile'],
};

/** Same as `grep -v '^#' packages.txt | sha256sum | cut -c1-12` in stack/base/build-offline.sh. */
export function baseImageTag(stackDir: string): string {
  const text = readFileSync(path.join(stackDir, 'base', 'packages.txt'), 'utf8');
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const kept = lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => `${l}\n`)
    .join('');
  return `scalelab/base:${createHash('sha256').update(kept).digest('hex').slice(0, 12)}`;
}

/** Hashes the role's build context and the base image's ID, so a rebuilt base rebuilds the roles. */
export function roleImageTag(stackDir: string, role: Role, baseImageId: string): string {
  const h = createHash('sha256').update(baseImageId);
  for (const f of ROLE_FILES[role]) h.update(f).update(readFileSync(path.join(stackDir, role, f)));
  return `scalelab/${role}:${h.digest('hex').slice(0, 12)}`;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Builds one image from a directory, reporting "Step i/n" as progress; throws with the build's own error. */
async function buildImage(
  docker: Docker,
  dir: string,
  files: string[],
  tag: string,
  buildargs: Record<string, string>,
  onProgress: (p: ImageProgress) => void,
): Promise<void> {
  const stream = await docker.buildImage(
    { context: dir, src: files },
    { t: tag, buildargs, labels: { 'scalelab.image': tag }, rm: true, forcerm: true },
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string }>) => {
        const failed = err?.message ?? output?.find((o) => o.error)?.error;
        if (failed) reject(new Error(failed.trim()));
        else resolve();
      },
      (event: { stream?: string; status?: string; progress?: string; error?: string }) => {
        const step = /^Step (\d+)\/(\d+) : (.*)/.exec(event.stream ?? '');
        if (step)
          onProgress({ image: tag, message: step[3].trim(), progress: (Number(step[1]) - 1) / Number(step[2]) });
        else if (event.status) onProgress({ image: tag, message: `${event.status} ${event.progress ?? ''}`.trim() });
      },
    );
  });
  onProgress({ image: tag, message: 'built', progress: 1 });
}

/** Makes sure the base image and the role images exist, building what is missing. */
export async function ensureImages(
  docker: Docker,
  stackDir: string,
  roles: Role[],
  onProgress: (p: ImageProgress) => void,
  prepareApiBundle: () => Promise<void>,
): Promise<Record<Role, string>> {
  const base = baseImageTag(stackDir);
  if (!(await imageExists(docker, base))) {
    onProgress({
      image: base,
      message: 'building the base image from debian:bookworm-slim (needs a registry)',
      progress: 0,
    });
    try {
      await buildImage(docker, path.join(stackDir, 'base'), ['Dockerfile', 'packages.txt'], base, {}, onProgress);
    } catch (err) {
      throw new ImageUnavailableError(base, (err as Error).message);
    }
  }
  const baseId = (await docker.getImage(base).inspect()).Id;
  if (roles.includes('api')) await prepareApiBundle();
  const tags = {} as Record<Role, string>;
  for (const role of [...new Set(roles)]) {
    if (role === 'api' && !existsSync(path.join(stackDir, 'api', 'dist', 'server.js'))) {
      throw new ImageUnavailableError(`scalelab/api`, 'stack/api/dist/server.js is missing: run `npm run build:api`');
    }
    const tag = roleImageTag(stackDir, role, baseId);
    tags[role] = tag;
    if (await imageExists(docker, tag)) continue;
    onProgress({ image: tag, message: 'building', progress: 0 });
    try {
      await buildImage(docker, path.join(stackDir, role), ROLE_FILES[role], tag, { BASE: base }, onProgress);
    } catch (err) {
      throw new ImageUnavailableError(tag, (err as Error).message);
    }
  }
  return tags;
}
