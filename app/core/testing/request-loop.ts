// A bounded loop of product reads through a stack's entry, counting what failed and which
// instance answered: what the tests and the benchmarks measure a fault's cost with. Free of
// vitest, so a benchmark script can use it.
import { TEST_SEED } from './test-seed.js';

export interface LoopResult {
  ok: number;
  failed: Array<{ at: number; error: string }>;
  instances: Map<string, number>;
}

/** A bounded request loop: `concurrency` clients issue GETs until stop() or `maxMs`, whichever is first. */
export function requestLoop(baseUrl: string, o: { concurrency?: number; maxMs?: number; maxRequests?: number } = {}) {
  const result: LoopResult = { ok: 0, failed: [], instances: new Map() };
  const deadline = Date.now() + (o.maxMs ?? 60_000);
  const maxRequests = o.maxRequests ?? 50_000;
  let stopped = false;
  let sent = 0;
  const worker = async () => {
    while (!stopped && Date.now() < deadline && sent < maxRequests) {
      sent++;
      const id = 1 + Math.floor(Math.random() * TEST_SEED.products);
      try {
        const res = await fetch(`${baseUrl}/products/${id}`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        result.ok++;
        const inst = res.headers.get('x-instance') ?? '?';
        result.instances.set(inst, (result.instances.get(inst) ?? 0) + 1);
      } catch (err) {
        result.failed.push({ at: Date.now(), error: (err as Error).message });
      }
    }
  };
  const workers = Array.from({ length: o.concurrency ?? 4 }, worker);
  return {
    result,
    /** Stops the loop and waits for the requests in flight. */
    async stop(): Promise<LoopResult> {
      stopped = true;
      await Promise.all(workers);
      return result;
    },
  };
}
