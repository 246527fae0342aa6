// What can be checked of the desktop host without an Electron binary: the custom protocol names
// only the renderer's own files, the page carries its CSP, and packaging flips Electron's fuses.
// (The window itself is tested in e2e/electron.e2e.test.ts where a binary exists.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fileFor } from './renderer-files.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const dist = '/opt/scalelab/renderer';

describe('the desktop host', () => {
  it('serves app://scalelab/ from the renderer folder only', () => {
    expect(fileFor(dist, 'app://scalelab/')).toBe(`${dist}/index.html`);
    expect(fileFor(dist, 'app://scalelab/assets/index-abc.js')).toBe(`${dist}/assets/index-abc.js`);
    for (const bad of [
      'app://scalelab/../../etc/passwd',
      'app://scalelab/%2e%2e/%2e%2e/etc/passwd',
      'app://scalelab/..%2f..%2fetc%2fpasswd',
      'app://scalelab/%00',
      'app://scalelab/%',
      'app://other/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const f = fileFor(dist, bad);
      expect(f === null || f.startsWith(`${dist}/`), bad).toBe(true);
      expect(f, bad).not.toBe('/etc/passwd');
    }
  });

  it('ships the page with a strict CSP of its own (no inline or remote scripts, no plugins)', () => {
    const html = readFileSync(path.join(root, 'app/renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
  });

  it("flips Electron's fuses when packaging", () => {
    const cfg = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    expect(cfg.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
