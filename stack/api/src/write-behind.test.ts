// cache.strategy write-behind over real HTTP with the in-memory database and queue: an order is
// acknowledged (202) once queued and reaches the database only when the flusher drains the queue;
// Redis down, it is written directly; an order no flusher could write is refused up front.
import { afterEach, describe, expect, it } from 'vitest';
import { order, start, stopServer, switches } from './test-server.js';

afterEach(stopServer);

// A second between flushes: the first comes a second after the server starts, long after the
// order is acknowledged and checked not yet written (at 50 ms a busy CI machine's flusher once
// drained it between the answer and the check).
const writeBehind = switches({
  cache: { enabled: true, strategy: 'write-behind', writeBehind: { flushIntervalMs: 1000, batchSize: 100 } },
});
const counted = async (metrics: Awaited<ReturnType<typeof start>>['metrics'], state: string) =>
  (await metrics.writeBehind.get()).values.find((v) => v.labels.state === state)?.value ?? 0;

describe('write-behind', () => {
  it('acknowledges an order once queued, and the flusher writes it later, once', async () => {
    const { get, db, cache, metrics } = await start(writeBehind);
    const res = await order(get, 5);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { ref: string; queued: boolean };
    expect(body.queued).toBe(true);
    expect(res.headers.get('x-db-node')).toBe('queued');
    expect(cache.queue.entries.map((e) => e.ref)).toEqual([body.ref]);
    expect(db.on('primary').size).toBe(0);
    await expect.poll(() => db.on('primary').size, { timeout: 5000 }).toBe(1);
    expect(db.refs.has(body.ref)).toBe(true);
    expect(cache.queue.entries).toEqual([]);
    expect(await counted(metrics, 'queued')).toBe(1);
    expect(await counted(metrics, 'persisted')).toBe(1);
  });

  it('writes directly when Redis does not answer, and counts it apart', async () => {
    const { get, db, cache, metrics } = await start(writeBehind);
    cache.queue.down = true;
    const res = await order(get, 5);
    expect(res.status).toBe(201);
    expect(db.on('primary').size).toBe(1);
    expect(await counted(metrics, 'direct')).toBe(1);
    expect(await counted(metrics, 'queued')).toBe(0);
  });

  it('refuses an order for a product that does not exist instead of acknowledging a write it would drop', async () => {
    const { get, cache } = await start(writeBehind);
    expect((await order(get, 5000)).status).toBe(404);
    expect(cache.queue.entries).toEqual([]);
  });

  it('still drains what was queued after the strategy is switched away from write-behind', async () => {
    const { get, db, cache } = await start(
      switches({
        cache: { enabled: true, strategy: 'write-behind', writeBehind: { flushIntervalMs: 60_000, batchSize: 100 } },
      }),
    );
    await order(get, 5);
    await order(get, 6);
    expect(cache.queue.entries).toHaveLength(2);
    const { running } = await import('./test-server.js');
    await running!.apply({
      kind: 'config',
      config: switches({
        cache: { enabled: true, strategy: 'cache-aside', writeBehind: { flushIntervalMs: 50, batchSize: 1 } },
      }),
    });
    // The flusher's next tick (scheduled at the old interval) is not waited for: drain() flushes.
    await running!.drain();
    expect(db.on('primary').size).toBe(2);
    expect(cache.queue.entries).toEqual([]);
  });
});
