// The CLI as a script would use it: exit codes, status --json, bad input, no engine.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { describeDocker } from '../core/testing/docker-env.js';
import { EXIT } from './exit-codes.js';

const bin = path.resolve(import.meta.dirname, '../../bin/scalelab.mjs');
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-'));

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, '--stack', 't-cli', ...args], {
      env: { ...process.env, SCALELAB_HOME: home, ...env },
      timeout: 170_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describeDocker('scalelab CLI', () => {
  afterAll(async () => {
    await cli(['down']);
  });

  it('refuses a bad topology file naming the field, exit 2, starting nothing', async () => {
    const file = path.join(home, 'bad.json');
    writeFileSync(file, JSON.stringify({ database: { replicas: 7 } }));
    const r = await cli(['up', '--topology', file]);
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/database\.replicas/);
    expect((await cli(['status'])).code).toBe(EXIT.notRunning);
  });

  it('says how to start Docker when no engine answers, exit 3', async () => {
    const r = await cli(['up', '--preset', 'single-server'], { DOCKER_HOST: `unix://${path.join(home, 'none.sock')}` });
    expect(r.code).toBe(EXIT.dockerUnavailable);
    expect(r.stderr).toMatch(/No Docker engine answers/);
  });

  it('brings a stack up, reports it as JSON with the load balancer URL, applies a change, and takes it down', async () => {
    const up = await cli(['up', '--preset', 'three-tier', '--set', 'ports.entry=0', '--json']);
    expect(up.code, up.stderr).toBe(EXIT.ok);
    const st = await cli(['status', '--json']);
    expect(st.code).toBe(EXIT.ok);
    const doc = JSON.parse(st.stdout);
    expect(doc.lbUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.entryUrl).toBe(doc.lbUrl);
    expect(doc.services.map((s: { name: string }) => s.name).sort()).toEqual(['api-1', 'db-primary', 'lb']);
    const res = await fetch(`${doc.lbUrl}/products/1`);
    expect(res.status).toBe(200);

    const table = await cli(['status']);
    expect(table.stdout).toMatch(/^SERVICE\s+STATE\s+HEALTH\s+ADDRESS/m);
    expect(table.stdout).toMatch(/^lb\s+running\s+healthy\s+entry 127\.0\.0\.1:\d+/m);

    const dry = await cli(['apply', '--set', 'cache.enabled=true', '--dry-run']);
    expect(dry.stdout).toMatch(/live\s+cache\.enabled: false -> true/);
    const applied = await cli(['apply', '--set', 'cache.enabled=true']);
    expect(applied.code, applied.stderr).toBe(EXIT.ok);
    const second = await fetch(`${doc.lbUrl}/products/2`).then(() => fetch(`${doc.lbUrl}/products/2`));
    expect(second.headers.get('x-cache')).toBe('HIT');

    expect((await cli(['fault', 'explode', 'api-1'])).code).toBe(EXIT.badInput);
    expect((await cli(['fault', 'kill', 'api-9'])).code).toBe(EXIT.badInput);
    expect((await cli(['down'])).code).toBe(EXIT.ok);
    expect((await cli(['status'])).code).toBe(EXIT.notRunning);
  });
});
