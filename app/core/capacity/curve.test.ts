// The scaling curve's orchestration with the stack and the sweep stood in for: each value applied
// before its sweep, the knees fitted, what limited each knee named, the headroom planned; a field
// it cannot run across, or one value, refused before anything is applied.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepResult, SweepStep } from '../../contract/capacity.js';
import { runCurve } from './curve.js';
import { CurveStore } from './curve-store.js';
import { predict } from './usl.js';

const law = { lambda: 150, sigma: 0.1, kappa: 0.02 };

function sweepAt(n: number): SweepResult {
  const knee = { rate: Math.round(predict(law, n)), achieved: predict(law, n), busiest: { service: 'api-1', cpu: 97 } };
  return {
    runId: `r${n}`,
    objective: 'p(95)<100',
    maxErrors: 0.01,
    steps: [],
    knee: knee as SweepStep,
    limit: 'objective',
  };
}

describe('the scaling curve', () => {
  it('applies each value, sweeps, and fits the knees to the USL', async () => {
    const applied: unknown[] = [];
    let current = 0;
    const c = await runCurve(
      {
        apply: async (req) => {
          applied.push(req.set);
          current = Number(Object.values(req.set!)[0]);
          return { changes: [] } as never;
        },
        sweep: async () => sweepAt(current),
        hostCores: 2,
      },
      {
        workload: 'cpu-bound',
        objective: 'p(95)<100',
        across: { field: 'api.instances', values: [1, 2, 3, 4, 6] },
        target: 300,
        headroom: 0.5,
      },
      () => undefined,
    );
    expect(applied).toEqual([1, 2, 3, 4, 6].map((v) => ({ 'api.instances': v })));
    expect(c.usl!.sigma).toBeCloseTo(law.sigma, 3);
    expect(c.usl!.kappa).toBeCloseTo(law.kappa, 4);
    expect(c.amdahl).not.toBeNull();
    expect(c.limitedBy[0]).toEqual({ value: 1, service: 'api-1', cpu: 97 });
    expect(c.headroom!.instances).toBeNull(); // 600/s is past this law's peak (about 420/s at N = 7)
    expect(c.hostCores).toBe(2);
  });

  it('says why it made no fit with too few knees', async () => {
    const c = await runCurve(
      { apply: async () => ({}) as never, sweep: async () => sweepAt(1), hostCores: 2 },
      { workload: 'w', objective: 'p(95)<100', across: { field: 'api.cpus', values: [1, 2] } },
      () => undefined,
    );
    expect(c.usl).toBeNull();
    expect(c.fitNote).toMatch(/three parameters/);
  });

  it('refuses a field it cannot run across, and a single value, before applying anything', async () => {
    let applied = 0;
    const deps = { apply: async () => (applied++, {}) as never, sweep: async () => sweepAt(1), hostCores: 2 };
    await expect(
      runCurve(
        deps,
        { workload: 'w', objective: 'p(95)<1', across: { field: 'cache.ttlSeconds', values: [1, 2] } },
        () => undefined,
      ),
    ).rejects.toThrow(/runs across api.instances/);
    await expect(
      runCurve(
        deps,
        { workload: 'w', objective: 'p(95)<1', across: { field: 'api.instances', values: [2] } },
        () => undefined,
      ),
    ).rejects.toThrow(/two or more/);
    expect(applied).toBe(0);
  });

  it('reports a fit that explains little, and plans nothing from it', async () => {
    // Knees measured on this 2-core machine by npm run bench:capacity: no law in them.
    const knees: Record<number, number> = { 1: 102, 2: 58, 3: 58, 4: 84, 5: 74 };
    let current = 0;
    const c = await runCurve(
      {
        apply: async (req) => ((current = Number(Object.values(req.set!)[0])), {}) as never,
        sweep: async () => ({ ...sweepAt(1), knee: { ...sweepAt(1).knee!, achieved: knees[current]! } }),
        hostCores: 2,
      },
      {
        workload: 'w',
        objective: 'p(95)<100',
        across: { field: 'api.instances', values: [1, 2, 3, 4, 5] },
        target: 100,
      },
      () => undefined,
    );
    expect(c.usl!.r2).toBeLessThan(0.8);
    expect(c.fitNote).toMatch(/do not follow the law here/);
    expect(c.headroom).toBeNull();
  });
});

describe('the scaling curve, kept as it goes', () => {
  const home = () => mkdtempSync(path.join(os.tmpdir(), 'scalelab-curves-'));

  it('is saved after every value, so a curve stopped by a failure keeps what it measured and says why', async () => {
    const store = new CurveStore(home());
    const id = store.newId(new Date(Date.UTC(2026, 10, 26, 21, 0, 0)));
    let current = 0;
    const seen: number[] = [];
    const run = runCurve(
      {
        apply: async (req) => ((current = Number(Object.values(req.set!)[0])), {}) as never,
        sweep: async () => {
          if (current === 3) throw new Error('the stack stopped answering');
          return sweepAt(current);
        },
        hostCores: 2,
        id,
        save: (c) => {
          store.save(c);
          seen.push(store.open(id).points.length);
        },
      },
      { workload: 'w', objective: 'p(95)<100', across: { field: 'api.instances', values: [1, 2, 3, 4] } },
      () => undefined,
    );
    await expect(run).rejects.toThrow(/stopped answering/);
    expect(seen).toEqual([1, 2, 2]);
    const kept = store.open('last');
    expect(kept.id).toBe(id);
    expect(kept.points.map((p) => p.value)).toEqual([1, 2]);
    expect(kept.error).toBe('the stack stopped answering');
    expect(kept.endedAt).not.toBeNull();
    expect(kept.amdahl).not.toBeNull(); // two knees: enough for Amdahl's two parameters
  });

  it('lists curves newest first, and names what it cannot open', () => {
    const store = new CurveStore(home());
    expect(store.list()).toEqual([]);
    expect(() => store.open('last')).toThrow(/no scaling curve yet/);
    expect(() => store.open('curve-20260101-000000-abcd')).toThrow(/no scaling curve "curve-/);
    expect(() => store.open('../runs/x')).toThrow(/no scaling curve/);
    expect(() => store.save({ id: '../evil' } as never)).toThrow(/not a curve id/);
  });
});
