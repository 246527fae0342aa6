// The stack tests both runtimes pass, on the local engine (docker-runtime.docker.test.ts) and on
// Swarm (swarm.docker.test.ts): what a learner's stack does is the same whichever engine runs it.
// Each file brings its own stack up (three API instances, the cache, at least one replica) and
// hands it in; the tests run where the call stands, in the file's order.
import { expect, it } from 'vitest';
import type { StackRuntime } from '../runtime/stack-runtime.js';
import { getJson } from './docker-env.js';

export interface ContractStack {
  runtime: StackRuntime;
  stack: string;
  entry: string;
  /** The replicas the stack runs, in order. */
  replicas: string[];
}

export function stackContract(get: () => ContractStack): void {
  it('spreads requests through the load balancer over every API instance', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = await getJson(`${get().entry}/products/${i + 1}`);
      expect(r.status).toBe(200);
      seen.add(r.headers.get('x-instance')!);
    }
    expect([...seen].sort()).toEqual(['api-1', 'api-2', 'api-3']);
  });

  it('answers the second read of a key from the cache, with the Server-Timing split', async () => {
    // A key no earlier test read: a file's load before this (random product reads) may have cached
    // any one, so the first key whose read misses (ten tried at most; one in seven is cached
    // after 300 random reads).
    let id = 1234;
    let first = await getJson(`${get().entry}/products/${id}`);
    while (first.headers.get('x-cache') === 'HIT' && id < 1243)
      first = await getJson(`${get().entry}/products/${++id}`);
    const second = await getJson(`${get().entry}/products/${id}`);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.headers.get('x-db-node')).toMatch(/^(primary|db-replica-\d)$/);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('x-db-node')).toBe('none');
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('server-timing')).toMatch(/^cache;dur=[\d.]+, db;dur=[\d.]+, app;dur=[\d.]+$/);
  });

  it('writes through the API on the primary, and every replica replays it: streaming, caught up', async () => {
    const { runtime, stack, entry, replicas } = get();
    const w = await getJson(`${entry}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 7, quantity: 2 }),
    });
    expect(w.status).toBe(201);
    expect(w.headers.get('x-db-node')).toBe('primary');
    // Read from both ends (replication.ts): the primary's pg_stat_replication and each replica's replay.
    let lag = await runtime.replication(stack);
    for (let i = 0; i < 40 && !lag.every((l) => l.idle); i++) {
      await new Promise((r) => setTimeout(r, 250));
      lag = await runtime.replication(stack);
    }
    expect(lag.map((l) => l.replica)).toEqual(replicas);
    for (const l of lag)
      expect(l, l.replica).toMatchObject({ state: 'streaming', lagBytes: 0, lagSeconds: 0, replayPaused: false });
  });
}
