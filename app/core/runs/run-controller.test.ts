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
