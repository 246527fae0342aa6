// The layout's rules (DESIGN.md), enforced: dependencies point one way, core imports no host.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const appDir = import.meta.dirname;

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2]);
}

/** Which top-level folder of app/ (or outside it) an import of `file` lands in. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return `pkg:${spec.split('/')[0]}`;
  const rel = path.relative(appDir, path.resolve(path.dirname(file), spec));
  return rel.startsWith('..')
    ? `outside:${rel.split(path.sep).slice(1, 3).join('/')}`
    : `app:${rel.split(path.sep)[0]}`;
}

const layer = (layerName: string) =>
  sources(path.join(appDir, layerName)).map((f) => ({ f, targets: importsOf(f).map((s) => target(f, s)) }));

describe('dependency rules', () => {
  it('core imports no host, no UI and nothing of the app but the contract', () => {
    for (const { f, targets } of layer('core')) {
      for (const t of targets) {
        expect(['pkg:electron', 'pkg:react', 'pkg:react-dom', 'pkg:recharts'], `${f} imports ${t}`).not.toContain(t);
        if (t.startsWith('app:')) expect(['app:core', 'app:contract'], `${f} imports ${t}`).toContain(t);
      }
    }
  });

  it('rpc imports only the contract: the renderer uses it too', () => {
    for (const { f, targets } of layer('rpc')) {
      for (const t of targets)
        if (t.startsWith('app:')) expect(['app:rpc', 'app:contract'], `${f} imports ${t}`).toContain(t);
    }
  });

  it('the renderer reaches the Lab only through the contract and the RPC client', () => {
    for (const { f, targets } of layer('renderer')) {
      for (const t of targets) {
        if (t.startsWith('app:')) expect(['app:renderer', 'app:contract', 'app:rpc'], `${f} imports ${t}`).toContain(t);
        expect(t.startsWith('pkg:node:') || t === 'pkg:electron', `${f} imports ${t}`).toBe(false);
      }
    }
  });

  it('the contract imports only itself: types and method names', () => {
    for (const { f, targets } of layer('contract')) {
      for (const t of targets) expect(t, `${f} imports ${t}`).toBe('app:contract');
    }
  });
});
