// Finding k6: $SCALELAB_K6, then `k6` on PATH, then the grafana/k6 image on the engine. When none
// is there the caller falls back to the built-in engine and says so.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

export type K6Location =
  | { kind: 'binary'; path: string; version: string }
  | { kind: 'image'; image: string; version: string | null }
  | { kind: 'none'; reason: string };

async function binaryVersion(path: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)(path, ['version'], { timeout: 5000 });
    return /k6 v?([\d.]+\S*)/.exec(stdout)?.[1] ?? stdout.trim();
  } catch {
    return null;
  }
}

export async function locateK6(docker?: Docker): Promise<K6Location> {
  const fromEnv = process.env.SCALELAB_K6;
  if (fromEnv) {
    const v = await binaryVersion(fromEnv);
    if (v) return { kind: 'binary', path: fromEnv, version: v };
  }
  const v = await binaryVersion('k6');
  if (v) return { kind: 'binary', path: 'k6', version: v };
  if (docker) {
    const images = await docker.listImages({ filters: { reference: ['grafana/k6'] } }).catch(() => []);
    if (images.length) return { kind: 'image', image: images[0].RepoTags?.[0] ?? 'grafana/k6', version: null };
  }
  return {
    kind: 'none',
    reason: `k6 was not found (${fromEnv ? `SCALELAB_K6=${fromEnv} does not run, ` : ''}no k6 on PATH, no grafana/k6 image)`,
  };
}
