// Moving between stages on a real engine: the load balancer taking over the entry point from a
// single instance and giving it back; and reaping what a crashed session left behind.
import { afterAll, expect, it } from 'vitest';
import { describeDocker, getJson, leftovers, testRuntime, testTopology } from '../testing/docker-env.js';

describeDocker('stage transitions and reaping', () => {
  // Stacks made by this test are seconds old: the reap age guard is tested on its own below.
  const runtime = testRuntime({ reapMinAgeMs: 0 });
  afterAll(async () => {
    for (const s of ['t-stages', 't-crashed', 't-young']) await runtime.down(s).catch(() => undefined);
  });

  it('goes single-server -> three-tier -> single-server, serving at each step', async () => {
    let st = await runtime.up('t-stages', testTopology('single-server'));
    expect(st.lbUrl).toBeNull();
    expect((await getJson(`${st.entryUrl}/products/1`)).headers.get('x-instance')).toBe('api-1');

    const toLb = await runtime.apply('t-stages', testTopology('three-tier'));
    expect(toLb.changes.find((c) => c.field === 'loadBalancer.enabled')).toMatchObject({
      kind: 'restart',
      services: ['api-1', 'lb'],
    });
    st = toLb.status;
    expect(st.lbUrl).toBe(st.entryUrl);
    const viaLb = await getJson(`${st.entryUrl}/products/1`);
    expect(viaLb.status).toBe(200);
    expect(viaLb.headers.get('x-lb-server')).toMatch(/^api\d$/);

    st = (await runtime.apply('t-stages', testTopology('single-server'))).status;
    expect(st.services.map((s) => s.name).sort()).toEqual(['api-1', 'db-primary']);
    expect((await getJson(`${st.entryUrl}/products/2`)).status).toBe(200);
    await runtime.down('t-stages');
  });

  it('reaps a stack whose containers all stopped (a crashed session) and leaves running stacks alone', async () => {
    await runtime.up('t-crashed', testTopology('single-server'));
    await runtime.up('t-stages', testTopology('single-server'));
    for (const c of await runtime.docker.listContainers({ filters: { label: ['scalelab.stack=t-crashed'] } })) {
      await runtime.docker.getContainer(c.Id).kill();
    }
    const reaped = await runtime.reap();
    expect(reaped).toContain('t-crashed');
    expect(reaped).not.toContain('t-stages');
    expect(await leftovers(runtime, 't-crashed')).toEqual([]);
    expect((await runtime.status('t-stages')).running).toBe(true);
  });

  it('leaves alone a stack made in the last minutes (another process may be bringing it up), and reaps only the one named', async () => {
    const careful = testRuntime();
    await careful.up('t-young', testTopology('single-server'));
    for (const c of await careful.docker.listContainers({ filters: { label: ['scalelab.stack=t-young'] } })) {
      await careful.docker.getContainer(c.Id).kill();
    }
    expect(await careful.reap()).not.toContain('t-young');
    expect(await runtime.reap('t-stages')).toEqual([]); // it runs
    expect(await runtime.reap('t-young')).toEqual(['t-young']);
    expect(await leftovers(runtime, 't-young')).toEqual([]);
  });
});
