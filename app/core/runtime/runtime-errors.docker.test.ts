// What a user meets when things go wrong, on a real engine: each a clear error, nothing left behind.
import Docker from 'dockerode';
import { cpSync, mkdtempSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { describeDocker, leftovers, testRuntime, testTopology } from '../testing/docker-env.js';
import { TopologyError } from '../topology/schema.js';
import { DockerRuntime } from './docker-runtime.js';
import { DockerUnavailableError, ImageUnavailableError, LabError, PortInUseError, UnhealthyError } from './errors.js';
import { baseImageTag } from './images.js';

describeDocker('runtime errors on Docker', () => {
  const runtime = testRuntime({ healthTimeoutMs: 8000 });
  afterAll(async () => {
    for (const s of ['t-bad', 't-port', 't-unhealthy']) await runtime.down(s).catch(() => undefined);
  });

  it('refuses a topology out of range, naming the field, and starts nothing', async () => {
    const bad = { ...testTopology('full'), api: { ...testTopology('full').api, instances: 12 } };
    await expect(runtime.up('t-bad', bad)).rejects.toThrow(TopologyError);
    await expect(runtime.up('t-bad', bad)).rejects.toThrow(/api\.instances/);
    expect(await leftovers(runtime, 't-bad')).toEqual([]);
  });

  it('says how to start an engine when none answers', async () => {
    const config = resolveConfig({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-test-')) });
    const nowhere = new DockerRuntime({
      ...config,
      docker: new Docker({ socketPath: path.join(os.tmpdir(), 'no-docker-here.sock') }),
    });
    const err = await nowhere.up('t-none', testTopology('single-server')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnavailableError);
    expect((err as Error).message).toMatch(/No Docker engine answers.*no-docker-here\.sock/);
    expect((err as LabError).hint).toMatch(/systemctl start docker|Docker Desktop/);
  });

  it('refuses a port already taken before starting anything', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const err = await runtime
        .up(
          't-port',
          testTopology('three-tier', (t) => {
            t.ports.entry = port;
          }),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect((err as Error).message).toContain(`Port ${port}`);
      expect((err as Error).message).toContain('ports.entry');
      expect(await leftovers(runtime, 't-port')).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('reports a service that never gets healthy with its last log lines, and down still cleans up', async () => {
    await runtime.up('t-unhealthy', testTopology('three-tier'));
    // With the primary stopped, a new API instance can never seed or serve.
    await runtime.fault('t-unhealthy', 'db-primary', 'stop');
    const t = testTopology('three-tier', (x) => {
      x.api.instances = 2;
    });
    const err = await runtime.apply('t-unhealthy', t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnhealthyError);
    expect((err as UnhealthyError).service).toBe('api-2');
    expect((err as Error).message).toMatch(/last log lines of api-2/);
    expect((err as UnhealthyError).logTail).toMatch(/waiting for the database/);
    await runtime.down('t-unhealthy');
    expect(await leftovers(runtime, 't-unhealthy')).toEqual([]);
  });

  it('explains a base image that cannot be built without a registry', async () => {
    // A copy of stack/ whose package list differs: its base tag does not exist, and building it needs a pull.
    const stackDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-stack-'));
    cpSync(resolveConfig().stackDir, stackDir, { recursive: true, filter: (src) => !src.includes('node_modules') });
    appendFileSync(path.join(stackDir, 'base', 'packages.txt'), 'less\n');
    const tag = baseImageTag(stackDir);
    const r = testRuntime({ stackDir });
    if (
      await r.docker
        .getImage(tag)
        .inspect()
        .then(
          () => true,
          () => false,
        )
    )
      return; // someone built it: nothing to test
    const pullable = await r.docker.pull('debian:bookworm-slim').then(
      () => true,
      () => false,
    );
    if (pullable) return; // a registry is reachable here: the error path does not apply
    const err = await r.prepareImages(testTopology('single-server')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageUnavailableError);
    expect((err as Error).message).toContain(tag);
    expect((err as LabError).hint).toContain('npm run images:base:offline');
  });
});
