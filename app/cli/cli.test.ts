// The CLI's commands with an injected writer (no process, no Docker): help, bad input refused with
// exit 2 before anything is asked of the Lab; and the real process piping a large document whole.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabApi } from '../contract/lab-api.js';
import { resolveConfig } from '../core/config.js';
import { presetNames } from '../core/topology/presets.js';
import type { LabHandle, Writer } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { runCli } from './main.js';
import { PRESET_NAMES } from './preset-names.js';

const root = path.resolve(import.meta.dirname, '..', '..');

function capture(): Writer & { text: () => string } {
  const chunks: string[] = [];
  return {
    write: (c) => void chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString()),
    text: () => chunks.join(''),
  };
}

/** A Lab whose every method records its call: input refused by the CLI must never reach it. */
function recordingLab(): { handle: LabHandle; calls: string[] } {
  const calls: string[] = [];
  const section = (name: string) =>
    new Proxy(
      {},
      { get: (_t, m) => async (arg: unknown) => void calls.push(`${name}.${String(m)} ${JSON.stringify(arg)}`) },
    );
  const api = {
    stack: section('stack'),
    load: section('load'),
    runs: section('runs'),
    reports: section('reports'),
    monitoring: section('monitoring'),
  };
  return { handle: { api: api as unknown as LabApi, on: () => () => undefined }, calls };
}

async function cli(args: string[]) {
  const out = capture();
  const err = capture();
  const lab = recordingLab();
  const code = await runCli(args, { out, err, makeLab: async () => lab.handle });
  return { code, out: out.text(), err: err.text(), calls: lab.calls };
}

describe('scalelab', () => {
  it('names the same presets as core', () => {
    expect([...PRESET_NAMES]).toEqual(presetNames());
  });

  it('prints its help to the writer it is given', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/^Usage: scalelab/);
    for (const c of [
      'up',
      'status',
      'apply',
      'fault',
      'node',
      'logs',
      'run',
      'runs',
      'report',
      'export',
      'reap',
      'alerts',
      'targets',
      'query',
    ]) {
      expect(r.out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
  });

  it('refuses bad input with exit 2 and asks nothing of the Lab', async () => {
    for (const args of [
      ['logs', 'api-1', '--tail', 'abc'],
      ['logs', 'api-1', '--tail', '-5'],
      ['logs', 'api-1', '--tail', '0'],
      ['fault', 'explode', 'api-1'],
      ['node', 'pause', 'node-2'],
      ['apply', '--set', 'instances=5'],
      ['up', '--preset', 'nope'],
      ['run', '--workload', 'mixed', '--rate', 'fast'],
      ['run', '--workload', 'mixed', '--duration', 'forever'],
      ['run', '--workload', 'mixed', '--engine', 'k6', '--generators', '9'],
      ['run', '--workload', 'mixed', '--engine', 'k6', '--generators', 'two'],
      ['runs', 'frobnicate'],
      ['alerts', 'rules', '--file', '/nonexistent/rules.yml'],
      ['alerts', 'rules', '--check', '/nonexistent/rules.yml'],
      ['query'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.badInput);
      expect(
        r.calls.filter((c) => !c.startsWith('runs.list')),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('hands a node drain to core as it was asked', async () => {
    const r = await cli(['node', 'drain', 'node-2']);
    expect(r.calls).toEqual(['stack.node {"hostname":"node-2","availability":"drain"}']);
  });

  it('hands --set to core as field changes, once, for apply', async () => {
    const r = await cli(['apply', '--set', 'api.instances=5', '--set', 'cache.enabled=true']);
    expect(r.calls).toEqual(['stack.apply {"set":{"api.instances":5,"cache.enabled":true}}']);
  });

  it('refuses an empty --stack instead of taking the default stack (engine Lab, no Docker needed)', async () => {
    const err = capture();
    const code = await runCli(['--stack', '', 'down'], { out: capture(), err });
    expect(code).toBe(EXIT.badInput);
    expect(err.text()).toMatch(/stack name ""/);
  });

  it('pipes a large JSON document whole to a slow reader, then exits 0', async () => {
    const sample = readdirSync(resolveConfig().samplesDir)[0];
    const child = spawn(process.execPath, ['bin/scalelab.mjs', 'runs', 'show', sample, '--json'], {
      cwd: root,
      env: { ...process.env, SCALELAB_HOME: mkdtempSync(path.join(os.tmpdir(), 'scalelab-pipe-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    // A slow reader: the pipe fills (64 KiB) and the writer must wait for it.
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 500);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    const text = Buffer.concat(chunks).toString();
    expect(code).toBe(0);
    expect(text.length).toBeGreaterThan(200_000);
    expect(JSON.parse(text).run.id).toBe(sample);
  });
});
