// Renderer components and hooks against a real Lab through the in-memory transport (no Docker:
// these screens need none).
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLab } from '../core/create-lab.js';
import { createClient } from '../rpc/client.js';
import { createInMemoryPair } from '../rpc/in-memory.js';
import { serve } from '../rpc/serve.js';
import { App } from './App.js';
import { Figures } from './components/Figures.js';
import { LabProvider } from './hooks/use-lab.js';
import { appendPoint, MAX_POINTS, RECENT_POINTS } from './hooks/timeline.js';

function connected() {
  const lab = createLab({ stack: 't-renderer', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-ui-')) });
  const pair = createInMemoryPair();
  serve(lab, pair.host);
  const client = createClient(pair.client);
  return { lab, connect: async () => client };
}

afterEach(() => cleanup());

describe('console', () => {
  it('connects, shows the stage presets, and validates topology edits as the user types', async () => {
    const { connect } = connected();
    render(<LabProvider connect={connect}><App /></LabProvider>);
    await screen.findByTestId('preset-read-replicas');
    expect(screen.getAllByRole('button', { name: /Single server|Three tiers|Horizontal scaling|Edge cache|Application cache|Read replicas|Full stack/ })).toHaveLength(7);
    const instances = await screen.findByTestId('field-api.instances');
    await act(async () => { fireEvent.change(instances, { target: { value: '9' } }); });
    await waitFor(() => expect(screen.getByTestId('topology-invalid').textContent).toMatch(/api\.instances/));
    expect((screen.getByTestId('stack-up') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says when the lab cannot be reached', async () => {
    render(<LabProvider connect={async () => { throw new Error('cannot reach the lab at ws://x/rpc'); }}><App /></LabProvider>);
    expect((await screen.findByTestId('connection-lost')).textContent).toMatch(/cannot reach the lab/);
  });

  it('shows the last second\'s figures in large type', () => {
    render(<Figures last={{ t: 0, v: { 'load.rps': 151, 'load.p95': 12.34, 'load.error_rate': 0.002, 'redis.hit_ratio': 0.812, 'lag.max_seconds': null } }} />);
    expect(screen.getByTestId('figure-rps').textContent).toBe('151');
    expect(screen.getByTestId('figure-p95').textContent).toBe('12.3 ms');
    expect(screen.getByTestId('figure-errors').textContent).toBe('0.2%');
    expect(screen.getByTestId('figure-hit-ratio').textContent).toBe('0.81');
    expect(screen.getByTestId('figure-lag').textContent).toBe('–');
  });
});

describe('long runs', () => {
  it('keep the last minutes at full resolution and thin older points, so memory stays flat', () => {
    let points: Array<{ t: number; v: Record<string, number> }> = [];
    for (let i = 0; i < 3600; i++) points = appendPoint(points, { t: i * 1000, v: { 'load.rps': i } });
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points.slice(-RECENT_POINTS).map((p) => p.t / 1000)).toEqual(Array.from({ length: RECENT_POINTS }, (_, i) => 3600 - RECENT_POINTS + i));
    expect(points[0].t).toBe(0);
  });
});
