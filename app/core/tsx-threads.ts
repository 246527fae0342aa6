// Worker threads that load TypeScript: from source (tsx, vitest) a thread must register tsx
// itself before it imports a .ts/.tsx module; built code (dist/) needs nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file URL of tsx's ESM API (its `register()`), resolved from this package's tsx. */
export function tsxEsmApi(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> })
    .exports['./esm/api'].import.default;
  return pathToFileURL(path.join(path.dirname(pkg), entry)).href;
}

/** An expression that imports `moduleUrl` in a thread, registering tsx first when it is TypeScript. */
export function importInThread(moduleUrl: string): string {
  return /\.tsx?$/.test(moduleUrl)
    ? `import(${JSON.stringify(tsxEsmApi())}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); })`
    : `import(${JSON.stringify(moduleUrl)})`;
}
