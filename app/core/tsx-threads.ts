// Worker threads that load TypeScript: from source (tsx, vitest) a thread must register tsx
// itself before it imports a .ts/.tsx module; built code (dist/) needs nothing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file URL of tsx's ESM API (its `register()`), resolved from this package's tsx. */
export function tsxEsmApi(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> })
    .exports['./esm/api'].import.default;
  return pathToFileURL(path.join(path.dirname(pkg), entry)).href;
}

/** The checkout's tsconfig.json: tsx looks for one from the working directory, so `scalelab report`
 *  run from another folder compiled the report's JSX without it (React is not defined). */
const TSCONFIG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'tsconfig.json');

/** An expression that imports `moduleUrl` in a thread, registering tsx first when it is TypeScript. */
export function importInThread(moduleUrl: string): string {
  const options = existsSync(TSCONFIG) ? JSON.stringify({ tsconfig: TSCONFIG }) : '';
  return /\.tsx?$/.test(moduleUrl)
    ? `import(${JSON.stringify(tsxEsmApi())}).then((m) => { m.register(${options}); return import(${JSON.stringify(moduleUrl)}); })`
    : `import(${JSON.stringify(moduleUrl)})`;
}
