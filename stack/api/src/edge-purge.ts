// Asking the edge (nginx with the cache-purge module, stack/cdn) to forget a URL it keeps: what an
// application does on a write when its CDN caches dynamic pages (edgeCache.purgeOnWrite).
export const EDGE_HOST = 'cdn';
export const PURGE_TOKEN_HEADER = 'x-purge-token';

/** Purges `path` at the edge: true when it was kept there (200), false when it was not (404). */
export async function purgeEdge(path: string, token: string, host = EDGE_HOST): Promise<boolean> {
  const res = await fetch(`http://${host}/edge/purge${path}`, {
    headers: { [PURGE_TOKEN_HEADER]: token },
    signal: AbortSignal.timeout(2000),
  });
  await res.arrayBuffer();
  if (res.status !== 200 && res.status !== 404)
    throw new Error(`the edge answered ${res.status} to a purge of ${path}`);
  return res.status === 200;
}
