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
import { SettingsProvider } from './settings/use-settings.js';
import { appendPoint, MAX_POINTS, RECENT_POINTS } from './hooks/timeline.js';

function connected(dataDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-ui-'))) {
  const lab = createLab({ stack: 't-renderer', dataDir });
  const pair = createInMemoryPair();
  serve(lab, pair.host);
  const client = createClient(pair.client);
  return { lab, connect: async () => client };
}

afterEach(() => cleanup());

describe('console', () => {
  it('connects, shows the stage presets, and validates topology edits as the user types', async () => {
    const { connect } = connected();
    render(
      <LabProvider connect={connect}>
        <App />
      </LabProvider>,
    );
    await screen.findByTestId('preset-read-replicas');
    expect(
      screen.getAllByRole('button', {
        name: /Single server|Three tiers|Horizontal scaling|Edge cache|Application cache|Read replicas|Full stack/,
      }),
    ).toHaveLength(7);
    const instances = await screen.findByTestId('field-api.instances');
    await act(async () => {
      fireEvent.change(instances, { target: { value: '9' } });
    });
    await waitFor(() => expect(screen.getByTestId('topology-invalid').textContent).toMatch(/api\.instances/));
    expect((screen.getByTestId('stack-up') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says when the lab cannot be reached', async () => {
    render(
      <LabProvider
        connect={async () => {
          throw new Error('cannot reach the lab at ws://x/rpc');
        }}
      >
        <App />
      </LabProvider>,
    );
    expect((await screen.findByTestId('connection-lost')).textContent).toMatch(/cannot reach the lab/);
  });

  it("shows the last second's figures in large type", () => {
    render(
      <Figures
        last={{
          t: 0,
          v: {
            'load.rps': 151,
            'load.p95': 12.34,
            'load.error_rate': 0.002,
            'redis.hit_ratio': 0.812,
            'lag.max_seconds': null,
          },
        }}
      />,
    );
    expect(screen.getByTestId('figure-rps').textContent).toBe('151');
    expect(screen.getByTestId('figure-p95').textContent).toBe('12.3 ms');
    expect(screen.getByTestId('figure-errors').textContent).toBe('0.2%');
    expect(screen.getByTestId('figure-hit-ratio').textContent).toBe('0.81');
    expect(screen.getByTestId('figure-lag').textContent).toBe('–');
  });
});

describe('workshop and replay', () => {
  it("walks the course's chapters, by click and by key", async () => {
    const { connect } = connected();
    render(
      <LabProvider connect={connect}>
        <App />
      </LabProvider>,
    );
    fireEvent.click(await screen.findByTestId('workshop-toggle'));
    expect((await screen.findByTestId('lesson-title')).textContent).toMatch(/^Chapter 1: One server/);
    await act(async () => {
      fireEvent.keyDown(window, { key: 'n' });
    });
    await waitFor(() =>
      expect(screen.getByTestId('lesson-title').textContent).toMatch(/^Chapter 1: One server — Scaling up/),
    );
    await act(async () => {
      fireEvent.keyDown(window, { key: 'n' });
    });
    await waitFor(() => expect(screen.getByTestId('lesson-title').textContent).toMatch(/^Chapter 2: Three tiers/));
    fireEvent.click(screen.getByTestId('chapter-6'));
    await waitFor(() => expect(screen.getByTestId('lesson-title').textContent).toMatch(/^Chapter 6: The database/));
    expect(screen.getByTestId('lesson-setup').textContent).toMatch(/read-replicas.*mixed/);
  });

  it('replays a stored run in the live views, with its markers, and no Docker', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-ui-'));
    const { FileRunStore } = await import('../core/runs/file-run-store.js');
    const { parseWorkload } = await import('../core/load/workload-schema.js');
    const { getPreset } = await import('../core/topology/presets.js');
    const topology = structuredClone(getPreset('three-tier').topology);
    const w = new FileRunStore(dataDir).create({
      status: 'running',
      endedAt: null,
      engine: 'builtin',
      engineNote: null,
      topology,
      workload: parseWorkload({
        name: 'recorded',
        mix: { 'cheap-read': 1 },
        rate: { kind: 'constant', rate: 10, durationSeconds: 6 },
      }),
      target: { entryUrl: 'http://127.0.0.1:8080', edgeUrl: null },
      versions: { app: '0', k6: null },
      summary: null,
      error: null,
    });
    for (let i = 0; i < 6; i++)
      w.appendPoint({
        t: 1_000_000 + i * 1000,
        v: { 'load.rps': 100 + i, 'load.p95': 10, 'redis.hit_ratio': 0.5 + i / 20 },
      });
    w.appendEvent({
      t: 1_002_000,
      kind: 'switch',
      label: 'cache.enabled: false → true',
      detail: { field: 'cache.enabled', from: false, to: true },
    });
    w.appendEvent({ t: 1_003_000, kind: 'fault', label: 'kill api-1', detail: { service: 'api-1', kind: 'kill' } });
    w.update({ status: 'passed', endedAt: 1_006_000 });
    w.close();
    const { connect } = connected(dataDir);
    render(
      <LabProvider connect={connect}>
        <App />
      </LabProvider>,
    );
    fireEvent.click(await screen.findByTestId('tab-history'));
    fireEvent.click(await screen.findByTestId(`replay-${w.id}`));
    expect((await screen.findByTestId('replay')).textContent).toMatch(new RegExp(`Replaying run ${w.id}`));
    fireEvent.click(screen.getByRole('radio', { name: '20x' }));
    await waitFor(() => expect(screen.getByTestId('chart-throughput').getAttribute('data-points')).toBe('6'), {
      timeout: 3000,
    });
    expect(screen.getByTestId('figure-rps').textContent).toBe('105');
    expect(screen.getByTestId('replay').textContent).toMatch(/6\/6 s/);
    // The diagram is the run's, as its switches and faults left it: the cache came up, api-1 died.
    expect(screen.getByTestId('node-cache')).toBeTruthy();
    expect(screen.getByTestId('node-api-1').getAttribute('data-state')).toBe('exited');
  });
});

describe('without a Docker engine', () => {
  it('says how to start one and offers the recorded sample run', async () => {
    const Docker = (await import('dockerode')).default;
    const { DockerRuntime } = await import('../core/runtime/docker-runtime.js');
    const { resolveConfig } = await import('../core/config.js');
    const { FileRunStore } = await import('../core/runs/file-run-store.js');
    const { parseWorkload } = await import('../core/load/workload-schema.js');
    const shipped = mkdtempSync(path.join(os.tmpdir(), 'scalelab-samples-'));
    const w = new FileRunStore(shipped).create({
      status: 'running',
      endedAt: null,
      engine: 'builtin',
      engineNote: null,
      topology: null,
      workload: parseWorkload({
        name: 'recorded',
        mix: { 'cheap-read': 1 },
        rate: { kind: 'constant', rate: 10, durationSeconds: 2 },
      }),
      target: { entryUrl: 'http://127.0.0.1:8080', edgeUrl: null },
      versions: { app: '0', k6: null },
      summary: null,
      error: null,
    });
    w.update({ status: 'passed', endedAt: 1 });
    w.close();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-ui-'));
    const config = resolveConfig({ dataDir });
    const runtime = new DockerRuntime({
      ...config,
      docker: new Docker({ socketPath: path.join(dataDir, 'no-engine.sock') }),
    });
    const lab = createLab({ stack: 't-nodocker', dataDir, samplesDir: path.join(shipped, 'runs'), runtime });
    const pair = createInMemoryPair();
    serve(lab, pair.host);
    const client = createClient(pair.client);
    render(
      <LabProvider connect={async () => client}>
        <App />
      </LabProvider>,
    );
    const banner = await screen.findByTestId('no-docker');
    expect(banner.textContent).toMatch(/No Docker engine answers.*systemctl start docker/s);
    fireEvent.click(await screen.findByTestId('replay-sample'));
    expect((await screen.findByTestId('replay')).textContent).toMatch(new RegExp(w.id));
  });
});

describe('first-run tour', () => {
  it('shows once, step by step, and not again once skipped (kept in the console settings)', async () => {
    localStorage.clear();
    const { connect } = connected();
    const view = () =>
      render(
        <SettingsProvider>
          <LabProvider connect={connect}>
            <App />
          </LabProvider>
        </SettingsProvider>,
      );
    view();
    const tour = await screen.findByTestId('tour');
    expect(tour.getAttribute('data-step')).toBe('1');
    expect(tour.textContent).toMatch(/Five views/);
    expect(document.querySelector('.sidebar')!.classList.contains('tour-target')).toBe(true);
    fireEvent.click(screen.getByTestId('tour-next'));
    expect(screen.getByTestId('tour').getAttribute('data-step')).toBe('2');
    fireEvent.click(screen.getByTestId('tour-skip'));
    expect(screen.queryByTestId('tour')).toBeNull();
    expect(document.querySelector('.tour-target')).toBeNull();
    cleanup();
    view();
    await screen.findByTestId('tab-lab');
    expect(screen.queryByTestId('tour')).toBeNull();
  });
});

describe('long runs', () => {
  it('keep the last minutes at full resolution and thin older points, so memory stays flat', () => {
    let points: Array<{ t: number; v: Record<string, number> }> = [];
    for (let i = 0; i < 3600; i++) points = appendPoint(points, { t: i * 1000, v: { 'load.rps': i } });
    expect(points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(points.slice(-RECENT_POINTS).map((p) => p.t / 1000)).toEqual(
      Array.from({ length: RECENT_POINTS }, (_, i) => 3600 - RECENT_POINTS + i),
    );
    expect(points[0].t).toBe(0);
  });

  it('hold every point with its keys in one order, whatever order they arrived in', () => {
    const a = appendPoint([], { t: 0, v: { 'load.instance.api-2': 3, 'load.rps': 9, 'load.instance.api-1': 6 } });
    const b = appendPoint(a, { t: 1000, v: { 'load.rps': 8, 'load.instance.api-1': 5, 'load.instance.api-2': 3 } });
    expect(b.map((p) => Object.keys(p.v))).toEqual([
      ['load.instance.api-1', 'load.instance.api-2', 'load.rps'],
      ['load.instance.api-1', 'load.instance.api-2', 'load.rps'],
    ]);
    expect(b[1].v['load.rps']).toBe(8);
  });
});
