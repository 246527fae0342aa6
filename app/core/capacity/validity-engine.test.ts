// The measurement verdict on the real built-in engine, against a local server that answers at
// once: a generator starved of its thread (blocked 150 ms of every 200, as a tiny CPU share would
// leave it) is marked distorted, with the reason; the same run fed is far less late (and sound
// on a quiet machine).
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackStatus } from '../../contract/stack.js';
import { BuiltinEngine } from '../load/builtin-engine.js';
import { parseWorkload } from '../load/workload-schema.js';
import { FileRunStore } from '../runs/file-run-store.js';
import { RunController } from '../runs/run-controller.js';

const workload = parseWorkload({
  name: 'validity',
  mix: { 'cheap-read': 1 },
  rate: { kind: 'constant', rate: 100, durationSeconds: 6 },
});

let server: http.Server;
let url = '';
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

async function run() {
  const status = {
    stack: 't',
    running: true,
    topology: null,
    services: [],
    entryUrl: url,
    lbUrl: url,
    edgeUrl: null,
    statsUrl: null,
  } as StackStatus;
  const rc = new RunController(new FileRunStore(mkdtempSync(path.join(os.tmpdir(), 'scalelab-validity-'))));
  const active = rc.start({
    workload,
    engine: new BuiltinEngine(),
    engineNote: null,
    status,
    collector: null,
    versions: { app: '0', k6: null },
  });
  return (await active.done).summary!.measurement!;
}

describe('the measurement verdict on the real engine', () => {
  it('is distorted when the generator is starved of its thread, and not when it has it', async () => {
    const fed = await run();
    // The engine's schedule runs on this thread below 8,000 requests/s: block it 150 ms in 200.
    const starve = setInterval(() => {
      const until = Date.now() + 150;
      while (Date.now() < until);
    }, 200);
    const starved = await run().finally(() => clearInterval(starve));
    expect(starved.verdict).toBe('distorted');
    expect(starved.reasons[0]).toMatch(/the load generator was the bottleneck in \d+ of \d+ seconds/);
    expect(starved.lateMsMax).toBeGreaterThan(50);
    // Fed, it is sound on a quiet machine; on a busy one (a CI runner) at least far less late.
    expect(fed.saturatedSeconds).toBeLessThan(starved.saturatedSeconds);
    expect(fed.lateMsMax).toBeLessThan(starved.lateMsMax);
  });
});
