// `scalelab course` in-process against a real Lab: the chapters with the progress the console
// keeps, and a chapter's handout written to --out.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLab } from '../core/create-lab.js';
import type { Writer } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { runCli } from './main.js';

function capture(): Writer & { text: () => string } {
  const chunks: string[] = [];
  return {
    write: (c) => void chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString()),
    text: () => chunks.join(''),
  };
}

describe('scalelab course', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-cli-course-'));
  const lab = createLab({ dataDir: home, settingsFile: path.join(home, 'settings.json') });
  const cli = async (...args: string[]) => {
    const out = capture();
    const err = capture();
    const code = await runCli(args, { out, err, makeLab: async () => lab });
    return { code, out: out.text(), err: err.text() };
  };

  it('lists the chapters with the progress the console keeps', async () => {
    await lab.api.course.record({
      lesson: 'cache.cache-aside',
      passedAt: Date.now(),
      observed: { 'Redis hit ratio': 0.8 },
    });
    const { code, out } = await cli('course');
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/^1\. One server \(one-server\)/);
    expect(out).toMatch(/✓ Cache-aside \[passed\]: the cache hit ratio stays at 0\.7/);
    expect(out).toMatch(/· A baseline on one server \[not started\]/);
    const json = JSON.parse((await cli('course', '--json')).out) as { progress: { lessons: Record<string, unknown> } };
    expect(Object.keys(json.progress.lessons)).toEqual(['cache.cache-aside']);
  });

  it('writes a chapter handout to --out, and names the chapters when one is unknown', async () => {
    const file = path.join(home, 'out', 'cache.html');
    const ok = await cli('course', 'handout', 'cache', '--format', 'html', '--out', file);
    expect(ok.code).toBe(EXIT.ok);
    expect(readFileSync(file, 'utf8')).toContain('Chapter 5: Application cache');
    const bad = await cli('course', 'handout', 'nope', '--format', 'html');
    expect(bad.code).not.toBe(EXIT.ok);
    expect(bad.err).toMatch(/no chapter "nope".*one-server/s);
  });
});
