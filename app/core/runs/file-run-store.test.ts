import { appendFileSync, chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkload } from '../load/workload-schema.js';
import { FileRunStore } from './file-run-store.js';

const workload = parseWorkload({
  name: 'w',
  mix: { 'cheap-read': 1 },
  rate: { kind: 'constant', rate: 1, durationSeconds: 1 },
});
const base = {
  status: 'running' as const,
  endedAt: null,
  workload,
  engine: 'builtin' as const,
  engineNote: null,
  topology: null,
  target: { entryUrl: 'http://127.0.0.1:1', edgeUrl: null },
  versions: { app: '0', k6: null },
  summary: null,
  error: null,
};
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'scalelab-runs-'));

describe('file run store', () => {
  it('writes run.json, an append-only timeline and events, and reads them back', () => {
    const store = new FileRunStore(tmp());
    const w = store.create(base);
    w.appendPoint({ t: 1000, v: { 'load.rps': 10 } });
    w.appendPoint({ t: 2000, v: { 'load.rps': 12 } });
    w.appendEvent({ t: 1500, kind: 'switch', label: 'cache.enabled: false → true' });
    w.update({ status: 'passed', endedAt: 3000 });
    w.close();
    const d = store.open(w.id);
    expect(d.run.status).toBe('passed');
    expect(d.timeline.map((p) => p.v['load.rps'])).toEqual([10, 12]);
    expect(d.events).toHaveLength(1);
    expect(store.list().map((r) => r.id)).toEqual([w.id]);
    expect(readFileSync(path.join(d.dir, 'timeline.ndjson'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('shows a run whose process died as aborted, keeping every whole second and skipping a torn line', () => {
    const dir = tmp();
    const w = new FileRunStore(dir).create(base);
    w.appendPoint({ t: 1000, v: { 'load.rps': 10 } });
    appendFileSync(path.join(w.dir, 'timeline.ndjson'), '{"t":2000,"v":{"load.r');
    // As after a crash: run.json still says "running", written by a process that no longer exists.
    const runJson = path.join(w.dir, 'run.json');
    writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), pid: 2 ** 22 + 12345 }));
    const later = new FileRunStore(dir); // a new session
    const d = later.open(w.id);
    expect(d.run.status).toBe('aborted');
    expect(d.run.error).toMatch(/cut short/);
    expect(d.timeline).toEqual([{ t: 1000, v: { 'load.rps': 10 } }]);
  });

  it('refuses an unwritable data directory before a run starts, saying what to do', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the runs folder a file instead.
      const dir = tmp();
      writeFileSync(path.join(dir, 'runs'), 'not a folder');
      expect(() => new FileRunStore(dir).checkWritable()).toThrow(
        expect.objectContaining({
          message: expect.stringMatching(/Cannot write runs to/),
          hint: expect.stringMatching(/SCALELAB_HOME/),
        }),
      );
      return;
    }
    const dir = tmp();
    chmodSync(dir, 0o500);
    expect(() => new FileRunStore(dir).checkWritable()).toThrow(/Cannot write runs/);
  });

  it('gives clear errors for an unknown or malformed id and a damaged run', () => {
    const store = new FileRunStore(tmp());
    expect(() => store.open('nope')).toThrow(/not a run id/);
    expect(() => store.open('20260101-000000-w-abcd')).toThrow(/No run/);
    const w = store.create(base);
    w.close();
    writeFileSync(path.join(w.dir, 'run.json'), '{"id": "trunc');
    expect(() => store.open(w.id)).toThrow(/damaged/);
  });

  it('lists and opens runs shipped as samples, read-only', () => {
    const shipped = tmp();
    const maker = new FileRunStore(shipped);
    const w = maker.create(base);
    w.appendPoint({ t: 1000, v: { 'load.rps': 10 } });
    w.update({ status: 'passed', endedAt: 2000 });
    w.close();
    const store = new FileRunStore(tmp(), [path.join(shipped, 'runs')]);
    expect(store.list()).toEqual([expect.objectContaining({ id: w.id, sample: true, status: 'passed' })]);
    expect(store.open(w.id).timeline).toHaveLength(1);
    expect(() => store.delete(w.id)).toThrow(/sample; it cannot be deleted/);
  });

  it('compares two runs: aligned seconds and deltas of the key figures', () => {
    const store = new FileRunStore(tmp());
    const mk = (dbq: number, hit: number) => {
      const w = store.create(base);
      for (let i = 0; i < 3; i++)
        w.appendPoint({
          t: 10_000 + i * 1000,
          v: { 'load.rps': 100, 'db.queries': dbq, 'redis.hit_ratio': hit, 'load.p95': 20 },
        });
      w.close();
      return w.id;
    };
    const off = mk(100, 0);
    const on = mk(20, 0.8);
    const c = store.compare(off, on);
    expect(c.aligned.map((x) => x.second)).toEqual([0, 1, 2]);
    const dbq = c.deltas.find((d) => d.figure === 'database queries per request')!;
    expect(dbq.a).toBe(1);
    expect(dbq.b).toBeCloseTo(0.2);
    expect(dbq.change).toBeCloseTo(-0.8);
  });
});
