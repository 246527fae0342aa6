#!/usr/bin/env node
// Bundles the CLI (app/cli/scalelab.ts) with esbuild into dist/cli/, packages left to node_modules,
// split so the engine loads only when a command needs it. `npm install` runs it (prepare);
// bin/scalelab.mjs rebuilds it when a source is newer.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export async function buildCli() {
  await build({
    entryPoints: {
      scalelab: path.join(root, 'app/cli/scalelab.ts'),
      // The built-in engine's load threads, found beside the chunk that starts them.
      'builtin-worker': path.join(root, 'app/core/load/builtin-worker.ts'),
    },
    outdir: path.join(root, 'dist/cli'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Chunks sit beside the entry: core finds the repository two folders up (config.ts).
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
  });
  return path.join(root, 'dist/cli/scalelab.js');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await buildCli());
