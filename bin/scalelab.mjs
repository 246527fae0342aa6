#!/usr/bin/env node
// `scalelab`: runs the bundled CLI (dist/cli, built by `npm install` or `npm run build:cli`),
// rebuilding it first when a source under app/ is newer; a checkout without esbuild's output runs
// the TypeScript through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'dist', 'cli', 'scalelab.js');

/** Newest modification time under the folders the CLI is built from (a few hundred stats: ~2 ms). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'renderer' && e.name !== 'node_modules') walk(p);
      } else if (/\.tsx?$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ['app', 'stack/api/build.ts']) {
    const p = path.join(root, d);
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) walk(p);
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let stale = !existsSync(bundle);
if (!stale && existsSync(path.join(root, 'app'))) stale = statSync(bundle).mtimeMs < newestSource();
if (stale) {
  try {
    const { buildCli } = await import('./build-cli.mjs');
    await buildCli();
  } catch {
    // no esbuild (a trimmed install): run from source below
  }
}
if (existsSync(bundle) && !(stale && statSync(bundle).mtimeMs < newestSource())) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../app/cli/scalelab.ts');
}
