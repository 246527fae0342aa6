import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeployMarker } from '../../contract/deploy.js';
import type { RunEvent } from '../../contract/runs.js';
import { Deploys, deploySteps } from './Deploys.js';

const base = { strategy: 'canary', from: 'v1', to: 'v2-broken' } as const;
const figures = (version: string, requests: number, errorRate: number, p95Ms: number) => ({
  version,
  requests,
  errorRate,
  p95Ms,
});
const marker = (t: number, m: Partial<DeployMarker>): RunEvent => ({
  t,
  kind: 'deploy',
  label: m.phase ?? '',
  detail: { ...base, elapsedMs: t, phase: 'started', ...m },
});

describe("a report's deploys", () => {
  const events: RunEvent[] = [
    { t: 500, kind: 'switch', label: 'cache.enabled: false → true' },
    marker(1000, { phase: 'started' }),
    marker(5000, { phase: 'step', percent: 4.8 }),
    marker(15_000, {
      phase: 'judged',
      percent: 4.8,
      judgement: {
        verdict: 'worse',
        reason: 'v2-broken failed 20.0%',
        baseline: figures('v1', 900, 0, 30),
        candidate: figures('v2-broken', 60, 0.2, 112),
      },
    }),
    marker(15_500, { phase: 'rolled-back', percent: 0 }),
  ];

  it("lists each step with its time, the share and the judgement with both versions' figures", () => {
    const rows = deploySteps(events, 0);
    expect(rows.map((r) => `${r.at} ${r.step}`)).toEqual([
      '1 started',
      '5 4.8% to v2-broken',
      '15 worse',
      '16 rolled-back',
    ]);
    expect(rows[2].detail).toBe('v2-broken: 60 requests, p95 112.0 ms, 20.0% failed; v1: 900, p95 30.0 ms, 0.0%');
    expect(rows[0].deploy).toBe('canary v1 → v2-broken');
  });

  it('renders a table only when the run had a deploy', () => {
    expect(renderToStaticMarkup(<Deploys events={events} t0={0} />)).toContain('report-deploys');
    expect(renderToStaticMarkup(<Deploys events={events.slice(0, 1)} t0={0} />)).toBe('');
  });
});
