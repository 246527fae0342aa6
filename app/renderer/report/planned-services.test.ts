import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunRecord } from '../../contract/runs.js';
import { recordedStatus } from './planned-services.js';

// The shipped sample: a real run on the full stack, cache switched on, api-2 killed.
const samples = path.resolve(import.meta.dirname, '../../../samples');
const dir = path.join(
  samples,
  readdirSync(samples).find((f) => /^\d{8}-/.test(f))!,
);
const run = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord;
const events = readFileSync(path.join(dir, 'events.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as RunEvent);
const state = (s: ReturnType<typeof recordedStatus>, name: string) => s.services.find((x) => x.name === name)?.state;

describe("a recorded run's diagram", () => {
  it('starts as the run started, then follows its switches and faults', () => {
    const before = recordedStatus(run.topology!, []);
    expect(before.services.map((s) => s.name)).not.toContain('cache');
    expect(state(before, 'api-2')).toBe('running');
    const after = recordedStatus(run.topology!, events);
    expect(state(after, 'cache')).toBe('running');
    expect(state(after, 'api-2')).toBe('exited');
    expect(after.topology!.database.replicaApplyDelayMs).toBe(500);
    expect(run.topology!.cache.enabled).toBe(false); // the run's record is left as it was
  });

  it('brings a restarted or unpaused service back, and ignores a switch of a field it does not know', () => {
    const t = run.topology!;
    const fault = (service: string, kind: string, at: number): RunEvent => ({
      t: at,
      kind: 'fault',
      label: `${kind} ${service}`,
      detail: { service, kind },
    });
    const s = recordedStatus(t, [
      fault('api-1', 'pause', 1),
      fault('api-3', 'kill', 2),
      fault('api-3', 'restart', 3),
      { t: 4, kind: 'switch', label: 'x', detail: { field: 'nothing.here', from: 1, to: 2 } },
    ]);
    expect(state(s, 'api-1')).toBe('paused');
    expect(state(s, 'api-3')).toBe('running');
    expect(s.topology).not.toHaveProperty('nothing');
  });
});
