// `scalelab curves` in-process on a saved curve: listed, shown, and made into a capacity report;
// a curve that is not there is exit 2 and no file.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveSyntheticCurve } from '../core/testing/synthetic-curve.js';
import { EXIT } from './exit-codes.js';
import { runCli } from './main.js';

describe('scalelab curves', () => {
  let home: string;
  let out: string;
  let printed: string[];
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-curves-'));
    out = mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-out-'));
    printed = [];
    vi.stubEnv('SCALELAB_HOME', home);
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => (printed.push(String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('says there is none yet, then lists, shows and reports the one saved', async () => {
    expect(await runCli(['curves'])).toBe(EXIT.ok);
    expect(printed.join('')).toMatch(/no scaling curves yet/);
    const curves = await saveSyntheticCurve(home);
    const id = curves.list()[0]!.id;
    printed = [];
    expect(await runCli(['curves'])).toBe(EXIT.ok);
    expect(printed.join('')).toMatch(new RegExp(`${id}  api.instances  knees/s 1:150 2:263 .* peak N ≈ 6.7`));
    printed = [];
    expect(await runCli(['curves', 'show', 'last'])).toBe(EXIT.ok);
    expect(printed.join('\n')).toMatch(/Universal Scalability Law: λ 1(49.9|50.0) ± 0.\d\/s, σ \(contention\) 0.100/);
    expect(printed.join('\n')).toContain(`curve: ${id}`);
    const file = path.join(out, 'capacity.json');
    expect(await runCli(['curves', 'report', id, '--format', 'json', '--out', file])).toBe(EXIT.ok);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.curve.id).toBe(id);
    expect(doc.measurements).toHaveLength(5);
  });

  it('refuses a curve that is not there with exit 2, writing nothing', async () => {
    const file = path.join(out, 'x.html');
    expect(await runCli(['curves', 'report', 'curve-20260101-000000-abcd', '--out', file])).toBe(EXIT.badInput);
    expect(await runCli(['curves', 'show', 'last'])).toBe(EXIT.badInput);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });
});
