// API versions as images of their own: v1 is the API as built (scalelab/api:<hash>); another
// version is an image built FROM it (scalelab/api-version:<name>) that says its name (x-version)
// and may carry a regression (added latency, an error rate), for the deployment lessons. A version
// built from an older API build is stale: refused until built again.
import type Docker from 'dockerode';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiVersionInfo } from '../../contract/stack.js';
import { API_VERSION_NAME, BASE_VERSION } from '../../contract/topology.js';
import { LabError } from './errors.js';
import { imageExists, type ImageProgress } from './images.js';

const LABELS = {
  name: 'scalelab.api-version',
  builtFrom: 'scalelab.api-version.from',
  latency: 'scalelab.api-version.latency-ms',
  errors: 'scalelab.api-version.error-rate',
} as const;

export const versionTag = (name: string) => `scalelab/api-version:${name}`;

export interface Regression {
  latencyMs: number;
  errorRate: number;
}

export function checkVersionName(name: string): void {
  if (!API_VERSION_NAME.test(name))
    throw new LabError(
      `"${name}" is not a version name`,
      'BAD_INPUT',
      'A "v", a digit, then letters, digits, dots or dashes: v2, v2.1, v3-beta.',
    );
}

/** Builds version `name` FROM the current API image, its regression baked into its environment. */
export async function buildVersion(
  docker: Docker,
  apiImage: string,
  name: string,
  regression: Regression,
  onProgress: (p: ImageProgress) => void,
): Promise<ApiVersionInfo> {
  checkVersionName(name);
  if (name === BASE_VERSION)
    throw new LabError(`${BASE_VERSION} is the API as built`, 'BAD_INPUT', 'Name the new version v2, v3...');
  if (
    !(regression.latencyMs >= 0 && regression.latencyMs <= 5000) ||
    !(regression.errorRate >= 0 && regression.errorRate <= 1)
  )
    throw new LabError('a regression is 0-5000 ms of latency and an error rate of 0-1', 'BAD_INPUT');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-version-'));
  try {
    writeFileSync(
      path.join(dir, 'Dockerfile'),
      [
        `FROM ${apiImage}`,
        `ENV SCALELAB_VERSION=${name} SCALELAB_REGRESSION_LATENCY_MS=${regression.latencyMs} SCALELAB_REGRESSION_ERROR_RATE=${regression.errorRate}`,
        '',
      ].join('\n'),
    );
    const tag = versionTag(name);
    onProgress({ image: tag, message: `building ${name} from ${apiImage}`, progress: 0 });
    const stream = await docker.buildImage(
      { context: dir, src: ['Dockerfile'] },
      {
        t: tag,
        labels: {
          'scalelab.image': tag,
          [LABELS.name]: name,
          [LABELS.builtFrom]: apiImage,
          [LABELS.latency]: String(regression.latencyMs),
          [LABELS.errors]: String(regression.errorRate),
        },
        rm: true,
        forcerm: true,
      },
    );
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
        const failed = err?.message ?? out?.find((o) => o.error)?.error;
        if (failed) reject(new LabError(`building ${name} failed: ${failed.trim()}`, 'IMAGE_UNAVAILABLE'));
        else resolve();
      }),
    );
    onProgress({ image: tag, message: 'built', progress: 1 });
    return { name, image: tag, builtFrom: apiImage, current: true, ...regression };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The versions built on this engine, newest first; `current`: built from this API build. */
export async function listVersions(docker: Docker, apiImage: string): Promise<ApiVersionInfo[]> {
  const images = await docker.listImages({ filters: JSON.stringify({ label: [LABELS.name] }) });
  return images
    .map((i) => ({ labels: i.Labels ?? {}, created: i.Created }))
    .sort((a, b) => b.created - a.created)
    .map(({ labels }) => ({
      name: labels[LABELS.name]!,
      image: versionTag(labels[LABELS.name]!),
      builtFrom: labels[LABELS.builtFrom] ?? '',
      current: labels[LABELS.builtFrom] === apiImage,
      latencyMs: Number(labels[LABELS.latency] ?? 0),
      errorRate: Number(labels[LABELS.errors] ?? 0),
    }));
}

/** The image version `name` runs: the API's own for v1; refused, before anything changes, when
 *  the version was never built or was built from another API build. */
export async function versionImage(docker: Docker, apiImage: string, name: string): Promise<string> {
  if (name === BASE_VERSION) return apiImage;
  const hint = `Build it first: \`scalelab version build ${name}\` (add --latency-ms or --error-rate for a regression).`;
  if (!(await imageExists(docker, versionTag(name))))
    throw new LabError(`API version ${name} was never built on this engine`, 'BAD_INPUT', hint);
  const found = (await listVersions(docker, apiImage)).find((v) => v.name === name);
  if (!found?.current)
    throw new LabError(`API version ${name} was built from an older build of the API`, 'BAD_INPUT', hint);
  return versionTag(name);
}
