// Bundles the demo API into one file (stack/api/dist/server.js) so its image needs no npm.
// Run by the engine before building the api role image, and by `npm run build:api`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

/** `apiDir`: stack/api (given by the engine, whose bundle may sit elsewhere than this file). */
export async function buildApiBundle(apiDir = here): Promise<string> {
  const outfile = path.join(apiDir, 'dist', 'server.js');
  await build({
    entryPoints: [path.join(apiDir, 'src', 'server.ts')],
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    outfile,
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    // pg's optional native binding is never used
    external: ['pg-native'],
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(await buildApiBundle());
}
