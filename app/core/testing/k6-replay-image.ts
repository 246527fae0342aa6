// The image that stands in for grafana/k6 in the container and Swarm tests (the real one cannot be
// pulled here): the base image with testing/replay-k6.mjs as its entrypoint, replaying the
// recorded real k6 run with k6's command line (segments, --paused, the REST API, exit codes).
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { resolveConfig } from '../config.js';
import { baseImageTag } from '../runtime/images.js';
import { K6_FIXTURES } from './k6-fixtures.js';

export const K6_REPLAY_IMAGE = 'scalelab-test/k6-replay:1';

export async function buildK6ReplayImage(docker: Docker): Promise<string> {
  const ctx = mkdtempSync(path.join(os.tmpdir(), 'scalelab-k6img-'));
  const { stackDir } = resolveConfig();
  cpSync(path.join(import.meta.dirname, 'replay-k6.mjs'), path.join(ctx, 'replay-k6.mjs'));
  cpSync(K6_FIXTURES, path.join(ctx, 'fixtures'), { recursive: true });
  writeFileSync(
    path.join(ctx, 'Dockerfile'),
    `FROM ${baseImageTag(stackDir)}\nCOPY replay-k6.mjs /replay/replay-k6.mjs\nCOPY fixtures /fixtures\nENV REPLAY_FIXTURES=/fixtures\nENTRYPOINT ["node", "/replay/replay-k6.mjs"]\n`,
  );
  const stream = await docker.buildImage(
    { context: ctx, src: ['Dockerfile', 'replay-k6.mjs', 'fixtures'] },
    { t: K6_REPLAY_IMAGE },
  );
  await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve(null))),
  );
  return K6_REPLAY_IMAGE;
}
