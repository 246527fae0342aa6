// `scalelab report` and `scalelab export grafana` end to end in-process, on the shipped sample
// (a real run folder) and on a damaged copy of it: a file when all is well, none when not.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../core/config.js';
import { EXIT } from './exit-codes.js';
import { runCli } from './main.js';

const samples = resolveConfig().samplesDir;
const SAMPLE = readdirSync(samples)[0];

describe('scalelab report / export', () => {
  let home: string;
  let out: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-report-'));
    out = mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-out-'));
    vi.stubEnv('SCALELAB_HOME', home);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('writes a CSV of a run to --out, and a k6 summary', async () => {
    expect(await runCli(['report', SAMPLE, '--format', 'csv', '--out', path.join(out, 'run.csv')])).toBe(EXIT.ok);
    const csv = readFileSync(path.join(out, 'run.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toMatch(/^time,second,/);
    expect(await runCli(['report', SAMPLE, '--format', 'k6-summary', '--out', path.join(out, 'summary.json')])).toBe(
      EXIT.ok,
    );
    expect(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')).metrics.http_reqs.count).toBeGreaterThan(
      1000,
    );
    expect(readdirSync(out).sort()).toEqual(['run.csv', 'summary.json']);
  });

  it("makes an HTML report when run from another folder (tsx compiles the report with the checkout's tsconfig)", () => {
    const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'scalelab.mjs');
    const file = path.join(out, 'elsewhere.html');
    const r = spawnSync(process.execPath, [bin, 'report', SAMPLE, '--format', 'html', '--out', file], {
      cwd: os.tmpdir(),
      env: { ...process.env, SCALELAB_HOME: home },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/React is not defined/);
    expect(r.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
  }, 60_000);

  it('refuses a damaged run with a clear error and writes nothing', async () => {
    const dir = path.join(home, 'runs', SAMPLE.replace(/-[0-9a-f]{4}$/, '-beef'));
    cpSync(path.join(samples, SAMPLE), dir, { recursive: true });
    const file = path.join(dir, 'timeline.ndjson');
    truncateSync(file, readFileSync(file).length - 25);
    const code = await runCli(['report', path.basename(dir), '--format', 'html', '--out', path.join(out, 'r.html')]);
    expect(code).toBe(EXIT.failure);
    expect(vi.mocked(process.stderr.write).mock.calls.join('')).toMatch(
      /damaged: timeline\.ndjson line \d+ is cut short/,
    );
    expect(readdirSync(out)).toEqual([]);
    expect(await runCli(['report', 'nonsense', '--out', path.join(out, 'x.html')])).toBe(EXIT.badInput);
    expect(await runCli(['report', SAMPLE, '--format', 'docx'])).toBe(EXIT.badInput);
  });

  it('exports Prometheus and Grafana files, and will not write into a folder that holds files', async () => {
    const dir = path.join(out, 'grafana');
    expect(await runCli(['export', 'grafana', '--preset', 'read-replicas', '--out', dir])).toBe(EXIT.ok);
    expect(readdirSync(dir).sort()).toEqual([
      'alert-rules.yml',
      'grafana-dashboard.json',
      'prometheus.yml',
      'targets.json',
    ]);
    expect(await runCli(['export', 'grafana', '--preset', 'full', '--out', dir])).toBe(EXIT.badInput);
    expect(vi.mocked(process.stderr.write).mock.calls.join('')).toMatch(/not empty.*\n.*--force/);
    expect(existsSync(path.join(dir, 'docker-compose.yml'))).toBe(false);
  });
});
