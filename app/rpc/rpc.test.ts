// The whole RPC path in one process: a real Lab served over the in-memory pair, a typed client.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabEvents } from '../contract/lab-api.js';
import { createLab } from '../core/create-lab.js';
import { createClient } from './client.js';
import { createInMemoryPair } from './in-memory.js';
import { RpcError } from './protocol.js';
import { serve, type Servable } from './serve.js';

const lab = () => createLab({ stack: 't-rpc', dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-rpc-')) });

function connect(host: Servable) {
  const pair = createInMemoryPair();
  serve(host, pair.host);
  return { client: createClient(pair.client), pair };
}

describe('rpc', () => {
  it('calls Lab methods by name and returns plain JSON', async () => {
    const { client } = connect(lab());
    const presets = await client.api.stack.presets();
    expect(presets.map((p) => p.name)).toContain('read-replicas');
    const t = await client.api.stack.validate({ preset: 'full', topology: { api: { instances: 5 } } });
    expect(t.api.instances).toBe(5);
    expect((await client.api.load.workloads()).map((w) => w.name)).toContain('spike');
    expect((await client.api.runs.list()).filter((r) => !r.sample)).toEqual([]);
    // Reports travel the same way: a zipped Grafana export, base64 in plain JSON.
    const zip = await client.api.reports.exportStack({ kind: 'grafana', preset: 'full' });
    expect(zip).toMatchObject({ filename: 'scalelab-grafana.zip', mime: 'application/zip', encoding: 'base64' });
    expect(Buffer.from(zip.content, 'base64').subarray(0, 2).toString()).toBe('PK');
    await expect(client.api.reports.build({ run: 'last', format: 'csv' })).rejects.toMatchObject({
      code: 'NO_SUCH_RUN',
    });
  });

  it('rethrows errors as Errors with their message, code and hint', async () => {
    const { client } = connect(lab());
    const err = await client.api.stack.validate({ topology: { database: { replicas: 9 } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).name).toBe('TopologyError');
    expect((err as Error).message).toMatch(/database\.replicas/);
    const missing = await client.api.runs.open({ id: '20260101-000000-x-abcd' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'NO_SUCH_RUN' });
    expect((missing as RpcError).hint).toMatch(/scalelab runs/);
  });

  it('refuses unknown methods and bad parameters at the boundary, naming what is wrong', async () => {
    const { client, pair } = connect(lab());
    const bad = await (client.api.stack as unknown as { explode: () => Promise<unknown> })
      .explode()
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'BAD_INPUT' });
    expect((bad as Error).message).toMatch(/method/);
    const fault = await client.api.stack.fault({ service: 'api-1', kind: 'explode' as never }).catch((e: unknown) => e);
    expect((fault as Error).message).toMatch(/^stack\.fault: .*→ at kind/);
    const node = await client.api.stack
      .node({ hostname: 'node-2; rm -rf /', availability: 'drain' })
      .catch((e: unknown) => e);
    expect((node as Error).message).toMatch(/^stack\.node: .*→ at hostname/);
    const how = await client.api.stack
      .node({ hostname: 'node-2', availability: 'pause' as never })
      .catch((e: unknown) => e);
    expect((how as Error).message).toMatch(/^stack\.node: .*→ at availability/);
    // Well formed, on the local engine: one machine has no nodes to drain.
    const local = await client.api.stack.node({ hostname: 'node-2', availability: 'drain' }).catch((e: unknown) => e);
    expect(local).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no nodes to drain/) });
    const rate = await client.api.load.setRate({ rate: -5 }).catch((e: unknown) => e);
    expect((rate as Error).message).toMatch(/^load\.setRate: .*→ at rate/);
    const format = await client.api.reports.build({ run: 'last', format: 'docx' as never }).catch((e: unknown) => e);
    expect((format as Error).message).toMatch(/^reports\.build: .*→ at format/);
    const kind = await client.api.reports.exportStack({ kind: 'helm' as never }).catch((e: unknown) => e);
    expect((kind as Error).message).toMatch(/^reports\.exportStack: .*→ at kind/);
    // The course takes a prediction, a pass, the lesson open or a reset: nothing else, nothing more.
    for (const record of [
      { lesson: 'cache.cache-aside', predicted: 1, passedAt: 5 },
      { lesson: 'cache.cache-aside', predicted: 99 },
      { reset: false },
      { current: '' },
    ]) {
      const r = await client.api.course.record(record as never).catch((e: unknown) => e);
      expect((r as Error).message, JSON.stringify(record)).toMatch(/^course\.record: /);
    }
    const chapter = await client.api.reports
      .handout({ chapter: 'x', format: 'docx' as never })
      .catch((e: unknown) => e);
    expect((chapter as Error).message).toMatch(/^reports\.handout: .*→ at format/);
    // A workload named by a file path is refused at the boundary, and nothing of the file is shown.
    for (const workload of ['/etc/passwd', '../../etc/passwd', 'x.json']) {
      const file = await client.api.load.start({ workload }).catch((e: unknown) => e);
      expect(file, workload).toMatchObject({ code: 'BAD_INPUT' });
      expect((file as Error).message).not.toMatch(/root:/);
    }
    for (const generators of [0, 2.5, 9]) {
      const r = await client.api.load.start({ workload: 'mixed', engine: 'k6', generators }).catch((e: unknown) => e);
      expect((r as Error).message, String(generators)).toMatch(/^load\.start: .*→ at generators/);
    }
    // A message that is not a request at all gets an answer too, not silence.
    const answers: unknown[] = [];
    pair.client.onMessage((m) => answers.push(m));
    pair.client.send({ nonsense: true } as never);
    await new Promise((r) => setTimeout(r, 10));
    expect(answers).toEqual([
      expect.objectContaining({ kind: 'response', id: -1, error: expect.objectContaining({ code: 'BAD_INPUT' }) }),
    ]);
  });

  it('forwards Lab events to the client', async () => {
    const listeners = new Map<string, (p: unknown) => void>();
    const host: Servable = {
      api: lab().api,
      on: (event, fn) => {
        listeners.set(event, fn as (p: unknown) => void);
        return () => listeners.delete(event);
      },
    };
    const { client } = connect(host);
    const got: Array<LabEvents['run.point']> = [];
    client.on('run.point', (p) => got.push(p));
    listeners.get('run.point')!({ t: 1000, v: { 'load.rps': 5 } });
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([{ t: 1000, v: { 'load.rps': 5 } }]);
  });
});
