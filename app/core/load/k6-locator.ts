// Finding k6: $SCALELAB_K6, then the binary saved in the settings, then `k6` on PATH, then the grafana/k6 image on the engine. When none
// is there the caller falls back to the built-in engine and says so.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

export type K6Location =
  | { kind: 'binary'; path: string; version: string }
  | { kind: 'image'; image: string; version: string | null }
  | { kind: 'none'; reason: string };

/** The version a k6 binary reports, or null when it does not run or does not answer as k6. */
export async function k6Version(path: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)(path, ['version'], { timeout: 5000 });
    return /\bk6 v?([\d.]+\S*)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** `configured` is the binary saved in the engine's settings, looked at after $SCALELAB_K6. */
export async function locateK6(docker?: Docker, configured?: string | null): Promise<K6Location> {
  const fromEnv = process.env.SCALELAB_K6;
  for (const candidate of [fromEnv, configured]) {
    if (!candidate) continue;
    const v = await k6Version(candidate);
    if (v) return { kind: 'binary', path: candidate, version: v };
  }
  const v = await k6Version('k6');
  if (v) return { kind: 'binary', path: 'k6', version: v };
  if (docker) {
    const images = await docker.listImages({ filters: { reference: ['grafana/k6'] } }).catch(() => []);
    if (images.length) return { kind: 'image', image: images[0].RepoTags?.[0] ?? 'grafana/k6', version: null };
  }
  return {
    kind: 'none',
    reason: `k6 was not found (${fromEnv ? `SCALELAB_K6=${fromEnv} does not run, ` : ''}${configured ? `the saved ${configured} does not run, ` : ''}no k6 on PATH, no grafana/k6 image)`,
  };
}
