// Bundles the Electron main process and the preload (CommonJS, as Electron loads them) into dist/.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function buildElectron(): Promise<{ main: string; preload: string }> {
  const main = path.join(root, 'dist', 'main', 'main.cjs');
  const preload = path.join(root, 'dist', 'preload', 'preload.cjs');
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    external: ['electron', 'cpu-features', 'ssh2', 'pg-native', 'esbuild', '*/stack/api/build.js'],
    logLevel: 'warning' as const,
  };
  await build({
    ...common,
    entryPoints: [path.join(root, 'app', 'main', 'main.ts')],
    outfile: main,
    // import.meta.url in core (config.ts) becomes this file's URL in the CommonJS bundle.
    define: { 'import.meta.url': 'import_meta_url' },
    banner: { js: 'const import_meta_url = require("url").pathToFileURL(__filename).href;' },
  });
  await build({ ...common, entryPoints: [path.join(root, 'app', 'preload', 'preload.ts')], outfile: preload });
  // The report renderer (React + the console's charts + happy-dom), loaded by core on the first report.
  await build({
    ...common,
    entryPoints: [path.join(root, 'app', 'renderer', 'report', 'render-report-html.tsx')],
    outfile: path.join(root, 'dist', 'main', 'report-renderer.cjs'),
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return { main, preload };
}
