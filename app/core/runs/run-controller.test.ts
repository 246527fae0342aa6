import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackStatus } from '../../contract/stack.js';
import { BuiltinEngine } from '../load/builtin-engine.js';
import { parseWorkload } from '../load/workload-schema.js';
import { FileRunStore } from './file-run-store.js';
import { RunController } from './run-controller.js';

const workload = parseWorkload({
  name: 'w',
  mix: { 'cheap-read': 1 },
  rate: { kind: 'constant', rate: 20, durationSeconds: 2 },
});
const status = (entryUrl: string | null): StackStatus => ({
  stack: 't',
  running: !!entryUrl,
  topology: null,
  services: [],
  entryUrl,
  lbUrl: entryUrl,
  edgeUrl: null,
  statsUrl: null,
});

describe('run controller', () => {
  it('saves a run against a target that refuses connections as an error, with what was measured', async () => {
    const store = new FileRunStore(mkdtempSync(path.join(os.tmpdir(), 'scalelab-rc-')));
    const rc = new RunController(store);
    const active = rc.start({
      workload,
      engine: new BuiltinEngine({ timeoutMs: 500 }),
      engineNote: null,
      status: status('http://127.0.0.1:9'),
      collector: null,
      versions: { app: '0', k6: null },
      prediction: { metric: 'p95', value: 80 },
    });
    const record = await active.done;
    expect(record.status).toBe('error');
    // The room's prediction is kept with the run, and the run judged its own measurement.
    expect(record.prediction).toEqual({ metric: 'p95', value: 80 });
    expect(record.summary!.measurement!.latencyFrom).toBe('scheduled');
    expect(record.error).toMatch(/no request got an answer from http:\/\/127\.0\.0\.1:9.*scalelab status/);
    const d = store.open(record.id);
    expect(d.timeline.length).toBeGreaterThanOrEqual(2);
    // Keys in one order: the console holds hundreds of points, and each order costs V8 a hidden class.
    for (const p of d.timeline) expect(Object.keys(p.v)).toEqual(Object.keys(p.v).sort());
    expect(d.run.summary!.failed).toBe(d.run.summary!.requests);
  });

  it('keeps a sweep\u2019s knee, and judges a choice prediction against the earlier run it names', async () => {
    const store = new FileRunStore(mkdtempSync(path.join(os.tmpdir(), 'scalelab-rc-')));
    const rc = new RunController(store);
    const base = {
      workload,
      engine: new BuiltinEngine({ timeoutMs: 500 }),
      engineNote: null,
      status: status('http://127.0.0.1:9'),
      collector: null,
      versions: { app: '0', k6: null },
    };
    const first = rc.start(base);
    rc.event('sweep', 'sweep: knee 133/s (objective)', {
      phase: 'done',
      objective: 'p(95)<100',
      maxErrors: 0.01,
      knee: 133,
      limit: 'objective',
    });
    expect((await first.done).summary!.knee).toBe(133);
    const second = rc.start({
      ...base,
      engine: new BuiltinEngine({ timeoutMs: 500 }),
      prediction: { versus: 'p95', choice: 'lower', against: first.id },
    });
    const record = await second.done;
    // Two seconds of traffic each: too short to judge, and it says so rather than guess.
    expect(record.summary!.versus).toEqual({ unavailable: expect.stringMatching(/Too short to judge/) });
    expect(record.summary!.knee).toBeUndefined();
    const gone = rc.start({
      ...base,
      engine: new BuiltinEngine({ timeoutMs: 500 }),
      prediction: { versus: 'p95', choice: 'lower', against: 'no-such-run' },
    });
    expect((await gone.done).summary!.versus).toEqual({
      unavailable: expect.stringMatching(/no-such-run could not be read/),
    });
  });

  it('resolves a prediction against "last" to the newest run that ended, and refuses one with no run to compare', async () => {
    const { resolvePrediction } = await import('../services/load-service.js');
    const runs = (list: Array<{ id: string; status: string; sample?: boolean }>) => ({ list: () => list as never });
    const p = { versus: 'p95' as const, choice: 'same' as const, against: 'last' };
    expect(
      resolvePrediction(
        p,
        runs([
          { id: 'now', status: 'running' },
          { id: 'mine', status: 'passed' },
        ]),
      ),
    ).toEqual({ ...p, against: 'mine' });
    expect(() => resolvePrediction(p, runs([{ id: 's', status: 'passed', sample: true }]))).toThrow(/none yet/);
    expect(() => resolvePrediction({ ...p, against: 'x' }, runs([]))).toThrow(/no such run/);
    expect(() => resolvePrediction({ metric: 'p95', value: -1 }, runs([]))).toThrow(/a number of 0 or more/);
  });

  it('refuses to start without a running stack, or while another run goes, or where it cannot write', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-rc-'));
    const rc = new RunController(new FileRunStore(dir));
    const start = (url: string | null) =>
      rc.start({
        workload,
        engine: new BuiltinEngine(),
        engineNote: null,
        status: status(url),
        collector: null,
        versions: { app: '0', k6: null },
      });
    expect(() => start(null)).toThrow(/not running/);
    const first = start('http://127.0.0.1:9');
    expect(() => start('http://127.0.0.1:9')).toThrow(/already going/);
    first.engine.stop();
    expect((await first.done).status).toMatch(/stopped|error/);
    const { writeFileSync } = await import('node:fs');
    const bad = mkdtempSync(path.join(os.tmpdir(), 'scalelab-rc-'));
    writeFileSync(path.join(bad, 'runs'), 'a file where the runs folder should be');
    expect(() =>
      new RunController(new FileRunStore(bad)).start({
        workload,
        engine: new BuiltinEngine(),
        engineNote: null,
        status: status('http://127.0.0.1:9'),
        collector: null,
        versions: { app: '0', k6: null },
      }),
    ).toThrow(/Cannot write runs/);
  });
});
