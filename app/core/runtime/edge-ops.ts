// Purging the edge cache (nginx, stack/cdn): one URL through the cache-purge module, the way the
// API purges a product on a price change; or every entry, by removing the cache's files (nginx
// treats a kept key whose file is gone as a miss). Run inside the edge's container.
import type Docker from 'dockerode';
import { execIn } from './docker-client.js';
import { LabError } from './errors.js';

const CACHE_DIR = '/var/cache/nginx/edge';

/** A path as a purge names it: the path and query of a GET the edge may keep. */
export const PURGE_PATH = /^\/[A-Za-z0-9/._~%?=&-]{0,255}$/;

export async function purgeEdgeCache(
  docker: Docker,
  containerId: string,
  token: string,
  path: string | undefined,
): Promise<number> {
  const container = docker.getContainer(containerId);
  if (path === undefined) {
    const res = await execIn(docker, container, [
      'sh',
      '-c',
      `n=$(find ${CACHE_DIR} -type f | wc -l); find ${CACHE_DIR} -type f -delete; echo $n`,
    ]);
    if (res.exitCode !== 0) throw new LabError(`purging the edge failed: ${res.output.trim()}`, 'START_FAILED');
    return Number(res.output.trim().split('\n').at(-1)) || 0;
  }
  if (!PURGE_PATH.test(path))
    throw new LabError(
      `"${path}" is not a path the edge keeps`,
      'BAD_INPUT',
      'A path and query: /products/7, /static/app.js.',
    );
  const res = await execIn(docker, container, [
    'curl',
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-H',
    `x-purge-token: ${token}`,
    `http://127.0.0.1/edge/purge${path}`,
  ]);
  const code = res.output.trim();
  if (code === '404') return 0;
  if (code !== '200')
    throw new LabError(
      `the edge answered ${code || 'nothing'} to a purge of ${path}`,
      'START_FAILED',
      code === '403'
        ? "Its purge token is not this stack's: recreate it (`scalelab apply --set edgeCache.enabled=false`, then true)."
        : undefined,
    );
  return 1;
}
