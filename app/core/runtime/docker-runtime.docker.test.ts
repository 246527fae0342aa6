// The full stack on a real Docker engine: bring up, route, cache, replicate, lag, scale, kill, down.
// One stack for the whole file (bringing it up is the slow part); tests run in order.
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StackStatus } from '../../contract/stack.js';
import {
  dbClient,
  describeDocker,
  getJson,
  leftovers,
  requestLoop,
  sleep,
  testRuntime,
  testTopology,
} from '../testing/docker-env.js';
import type { Topology } from '../topology/schema.js';
import type { DockerRuntime } from './docker-runtime.js';
import { ReplicationReader } from './replication.js';
import { stackContract } from '../testing/stack-contract.js';

const STACK = 't-full';

describeDocker('full stack on Docker', () => {
  let runtime: DockerRuntime;
  let topology: Topology;
  let st: StackStatus;
  const entry = () => st.entryUrl!;
  const apply = async (patch: (t: Topology) => void) => {
    topology = structuredClone(topology);
    patch(topology);
    const res = await runtime.apply(STACK, topology);
    st = res.status;
    return res;
  };

  beforeAll(async () => {
    runtime = testRuntime();
    topology = testTopology('full', (t) => {
      t.rateLimit.enabled = false;
    });
    st = await runtime.up(STACK, topology);
  });

  afterAll(async () => {
    await runtime?.down(STACK).catch(() => undefined);
  });

  it('brings every service of the full preset up healthy, on loopback ports only', () => {
    expect(st.services.map((s) => s.name).sort()).toEqual([
      'api-1',
      'api-2',
      'api-3',
      'cache',
      'cdn',
      'db-primary',
      'db-replica-1',
      'db-replica-2',
      'lb',
    ]);
    for (const s of st.services) {
      expect(s.state, s.name).toBe('running');
      expect(s.health, s.name).toBe('healthy');
      for (const addr of Object.values(s.ports)) expect(addr).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    expect(st.entryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(st.lbUrl).toBe(st.entryUrl);
    expect(st.edgeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  // Shared with the Swarm target (swarm.docker.test.ts).
  stackContract(() => ({ runtime, stack: STACK, entry: entry(), replicas: ['db-replica-1', 'db-replica-2'] }));

  it('serves static files through the edge cache: MISS, then HIT', async () => {
    const a = await getJson(`${st.edgeUrl}/static/app.js`);
    const b = await getJson(`${st.edgeUrl}/static/app.js`);
    expect(a.status).toBe(200);
    expect(a.headers.get('x-edge-cache')).toBe('MISS');
    expect(b.headers.get('x-edge-cache')).toBe('HIT');
  });

  it('writes on the primary, and the row becomes readable on a replica', async () => {
    const w = await getJson(`${entry()}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 7, quantity: 2 }),
    });
    expect(w.status).toBe(201);
    expect(w.headers.get('x-db-node')).toBe('primary');
    const replica = st.services.find((s) => s.name === 'db-replica-1')!;
    const client = await dbClient(runtime, STACK, replica.ports.db);
    try {
      let rows = 0;
      for (let i = 0; i < 50 && rows === 0; i++) {
        rows = (await client.query('SELECT 1 FROM orders WHERE id = $1', [w.body.id])).rowCount ?? 0;
        if (!rows) await sleep(100);
      }
      expect(rows).toBe(1);
      expect((await client.query('SELECT pg_is_in_recovery() AS r')).rows[0].r).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("exports each replica's replication on the primary's postgres_exporter, as the Grafana lag panel reads it", async () => {
    const primary = st.services.find((s) => s.name === 'db-primary')!;
    const text = await (await fetch(`http://${primary.ports.metrics}/metrics`)).text();
    for (const replica of ['db-replica-1', 'db-replica-2'])
      expect(text).toMatch(
        new RegExp(`^pg_stat_replication_pg_wal_lsn_diff\\{[^}]*application_name="${replica}"`, 'm'),
      );
  });

  it("with an apply delay, a read of one's own write on a replica is counted stale; with read-your-writes, it is not", async () => {
    // Cache off, so the read really goes to a database node.
    const res = await apply((t) => {
      t.cache.enabled = false;
      t.database.replicaApplyDelayMs = 1500;
    });
    expect(res.changes.every((c) => c.kind === 'live')).toBe(true);
    const write = () =>
      getJson(`${entry()}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: 3 }),
      });

    const w = await write();
    const r = await getJson(`${entry()}/orders/${w.body.id}`);
    expect(r.status).toBe(404);
    expect(r.headers.get('x-stale-read')).toBe('1');
    expect(r.headers.get('x-db-node')).toMatch(/^db-replica-/);

    // Lag is measured while writes keep coming.
    let maxLag = 0;
    for (let i = 0; i < 10; i++) {
      await write();
      for (const l of await runtime.replication(STACK)) maxLag = Math.max(maxLag, l.lagSeconds ?? 0);
      await sleep(100);
    }
    expect(maxLag).toBeGreaterThanOrEqual(0.4);

    // The stale read shows in the API's own metrics.
    const stale = async () => {
      let sum = 0;
      for (const s of st.services.filter((x) => x.role === 'api')) {
        const text = await (await fetch(`http://${s.ports.api}/metrics`)).text();
        sum += Number(/^scalelab_stale_reads_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
      }
      return sum;
    };
    expect(await stale()).toBeGreaterThanOrEqual(1);

    await apply((t) => {
      t.database.readYourWrites = true;
    });
    const before = await stale();
    for (let i = 0; i < 5; i++) {
      const wr = await write();
      const cookie = wr.headers.get('set-cookie')!.split(';')[0];
      const rd = await getJson(`${entry()}/orders/${wr.body.id}`, { headers: { cookie } });
      expect(rd.status).toBe(200);
      expect(rd.headers.get('x-db-node')).toBe('primary');
    }
    expect(await stale()).toBe(before);
  });

  it('scales API instances 3 -> 5 -> 2 while requests flow, losing none while scaling up', async () => {
    const loop = requestLoop(entry(), { concurrency: 4, maxMs: 90_000 });
    await sleep(1000);
    const res = await apply((t) => {
      t.api.instances = 5;
    });
    expect(res.changes).toEqual([
      expect.objectContaining({ field: 'api.instances', kind: 'live', services: ['api-4', 'api-5'] }),
    ]);
    await sleep(3000);
    const afterUp = { ...loop.result, failed: [...loop.result.failed] };
    expect(afterUp.failed).toEqual([]);
    expect([...loop.result.instances.keys()].sort()).toEqual(['api-1', 'api-2', 'api-3', 'api-4', 'api-5']);

    await apply((t) => {
      t.api.instances = 2;
    });
    const countsBefore = new Map(loop.result.instances);
    await sleep(3000);
    const result = await loop.stop();
    // After scaling down, only api-1 and api-2 answer.
    const recent = [...result.instances.entries()]
      .filter(([k, v]) => v > (countsBefore.get(k) ?? 0))
      .map(([k]) => k)
      .sort();
    expect(recent).toEqual(['api-1', 'api-2']);
    expect(result.failed).toEqual([]);
    expect(result.ok).toBeGreaterThan(100);
    expect(st.services.filter((s) => s.role === 'api').map((s) => s.name)).toEqual(['api-1', 'api-2']);
  });

  it('routes around an API instance that is killed under load', async () => {
    await apply((t) => {
      t.api.instances = 3;
    });
    const loop = requestLoop(entry(), { concurrency: 4, maxMs: 60_000 });
    await sleep(1000);
    await runtime.fault(STACK, 'api-2', 'kill');
    const killedAt = Date.now();
    await sleep(3000);
    const countsAfterSettle = new Map(loop.result.instances);
    const failedBeforeSettle = loop.result.failed.length;
    await sleep(3000);
    const result = await loop.stop();
    // Once the balancer has noticed (well within 3 s), nothing fails and api-2 gets nothing.
    expect(result.failed.length).toBe(failedBeforeSettle);
    expect(result.failed.every((f) => f.at < killedAt + 3000)).toBe(true);
    expect(result.instances.get('api-2')).toBe(countsAfterSettle.get('api-2'));
    expect(result.ok).toBeGreaterThan(100);
    const status = await runtime.status(STACK);
    expect(status.services.find((s) => s.name === 'api-2')!.state).toBe('exited');
  });

  it('streams CPU and memory samples for every running container', async () => {
    const seen = new Map<string, number>();
    const stop = runtime.stats(STACK, (s) => {
      seen.set(s.service, s.memoryBytes);
    });
    const deadline = Date.now() + 8000;
    const running = (await runtime.status(STACK)).services
      .filter((s) => s.state === 'running')
      .map((s) => s.name)
      .sort();
    while (Date.now() < deadline && seen.size < running.length) await sleep(200);
    stop();
    expect([...seen.keys()].sort()).toEqual(running);
    for (const mem of seen.values()) expect(mem).toBeGreaterThan(0);
  });

  it('pauses and resumes replay on a replica: lag grows, then catches up', async () => {
    await apply((t) => {
      t.database.replicaApplyDelayMs = 0;
    });
    await runtime.fault(STACK, 'db-replica-1', 'pause-replay');
    for (let i = 0; i < 5; i++) {
      await getJson(`${entry()}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: 9 }),
      });
    }
    const paused = (await runtime.replication(STACK)).find((l) => l.replica === 'db-replica-1')!;
    expect(paused.replayPaused).toBe(true);
    expect(paused.lagBytes).toBeGreaterThan(0);
    await runtime.fault(STACK, 'db-replica-1', 'resume-replay');
    let caughtUp = false;
    for (let i = 0; i < 50 && !caughtUp; i++) {
      const l = (await runtime.replication(STACK)).find((x) => x.replica === 'db-replica-1')!;
      caughtUp = !l.replayPaused && l.lagBytes === 0;
      if (!caughtUp) await sleep(100);
    }
    expect(caughtUp).toBe(true);
    await expect(runtime.fault(STACK, 'api-1', 'pause-replay')).rejects.toThrow(/applies to a replica/);
  });

  it('reads lag after an idle minute as the apply delay, not as the idle time', async () => {
    await apply((t) => {
      t.database.replicaApplyDelayMs = 1500;
    });
    const { dbPassword } = await runtime.stackSecrets(STACK);
    const ep = (name: string) => {
      const [host, port] = st.services.find((s) => s.name === name)!.ports.db.split(':');
      return { name, host, port: Number(port) };
    };
    const reader = new ReplicationReader(dbPassword);
    const read = async () => (await reader.read(ep('db-primary'), [ep('db-replica-1')]))[0];
    try {
      // Idle: nothing written for a while, the replica has replayed all it received.
      for (let i = 0; i < 40 && !(await read()).idle; i++) await sleep(250);
      await sleep(8000);
      expect(await read()).toMatchObject({ idle: true, lagSeconds: 0 });
      await getJson(`${entry()}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: 11 }),
      });
      const seen: number[] = [];
      for (let i = 0; i < 16; i++) {
        const l = await read();
        if (l.lagSeconds !== null) seen.push(l.lagSeconds);
        await sleep(250);
      }
      // The write waits the 1.5 s apply delay: lag shows it, then falls back; never the 8 s of idle
      // before. Back means under a tenth of the delay, not exactly 0: the stack's own background
      // WAL (what wrote it is not known) read once as 0.05 s of replay lag on a CI run.
      expect(Math.max(...seen)).toBeGreaterThan(0.5);
      expect(Math.max(...seen)).toBeLessThan(4);
      expect(seen.at(-1)).toBeLessThan(0.15);
    } finally {
      await reader.close();
      await apply((t) => {
        t.database.replicaApplyDelayMs = 0;
      });
    }
  });

  it('changes CPU and memory limits of running containers live', async () => {
    const res = await apply((t) => {
      t.api.cpus = 0.5;
      t.api.memoryMb = 192;
    });
    expect(res.changes.every((c) => c.kind === 'live')).toBe(true);
    const info = await runtime.docker.getContainer('scalelab-t-full-api-1').inspect();
    expect(info.HostConfig.NanoCpus).toBe(5e8);
    expect(info.HostConfig.Memory).toBe(192 * 1024 * 1024);
  });

  it('rate-limits at the balancer (a restart of the balancer only)', async () => {
    const apiIds = async () =>
      (await runtime.docker.listContainers({ filters: { label: ['scalelab.stack=t-full', 'scalelab.role=api'] } }))
        .map((c) => c.Id)
        .sort();
    const before = await apiIds();
    const res = await apply((t) => {
      t.rateLimit.enabled = true;
      t.rateLimit.requestsPerSecond = 20;
    });
    expect([...new Set(res.changes.filter((c) => c.kind === 'restart').flatMap((c) => c.services))]).toEqual(['lb']);
    expect(await apiIds()).toEqual(before);
    const statuses = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        fetch(`${entry()}/products/${i + 1}`).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    await apply((t) => {
      t.rateLimit.enabled = false;
    });
  });

  it("keeps the API's /admin and /metrics shut at the entry and the edge, whatever the path's spelling", async () => {
    const { adminToken } = await runtime.stackSecrets(STACK);
    const raw = (base: string, p: string) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(base);
        // Sent as written: fetch() would normalise the dots away before they reached the balancer.
        const s = net.connect(Number(u.port), u.hostname, () =>
          s.write(
            `GET ${p} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${adminToken}\r\nConnection: close\r\n\r\n`,
          ),
        );
        let d = '';
        s.on('data', (c) => (d += c));
        s.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(d)?.[1] ?? 0)));
        s.on('error', reject);
      });
    const sideways = [
      '/admin/config',
      '/./admin/config',
      '/x/../admin/config',
      '/%2e/admin/config',
      '//admin/config',
      '/%61dmin/config',
      '/metrics',
    ];
    for (const p of sideways) expect(await raw(entry(), p), p).toBeGreaterThanOrEqual(400);
    expect(await raw(st.edgeUrl!, '/static/../admin/config')).toBeGreaterThanOrEqual(400);
    expect(await raw(entry(), '/products/1')).toBe(200);
  });

  it("puts Redis behind the stack's generated password: its loopback port answers nobody without it", async () => {
    await apply((t) => {
      t.cache.enabled = true;
    });
    const [host, port] = st.services.find((s) => s.name === 'cache')!.ports.cache.split(':');
    const say = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const sock = net.connect(Number(port), host, () => sock.write(text));
        let d = '';
        sock.on('data', (c) => {
          d += c;
          if (d.includes('\r\n') && d.split('\r\n').length > text.split('\r\n').length - 1) sock.end();
        });
        sock.on('close', () => resolve(d));
        sock.on('error', reject);
        sock.setTimeout(2000, () => sock.destroy());
      });
    expect(await say('PING\r\n')).toMatch(/^-NOAUTH/);
    const { redisPassword } = await runtime.stackSecrets(STACK);
    expect(redisPassword.length).toBeGreaterThanOrEqual(16);
    expect(await say(`AUTH ${redisPassword}\r\nPING\r\n`)).toBe('+OK\r\n+PONG\r\n');
    // The API instances use it: a read with the cache on is a HIT the second time.
    await getJson(`${entry()}/products/77`);
    expect((await getJson(`${entry()}/products/77`)).headers.get('x-cache')).toBe('HIT');
  });

  it('stops the primary at once (fast shutdown): writes fail right after, and it comes back clean', async () => {
    const t0 = Date.now();
    await runtime.fault(STACK, 'db-primary', 'stop');
    expect(Date.now() - t0).toBeLessThan(4000);
    const w = await getJson(`${entry()}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 3 }),
    });
    expect(w.status).toBeGreaterThanOrEqual(500);
    // Every pooled connection the API held logs its own termination: look past them.
    const logs = await runtime.logs(STACK, 'db-primary', 400);
    expect(logs).toMatch(/fast shutdown request/);
  });

  it('up heals a paused instance and a stopped primary, which starts with no crash recovery', async () => {
    // api-2 is still dead from the kill above: a fault on it says so, clearly.
    await expect(runtime.fault(STACK, 'api-2', 'pause')).rejects.toThrow(/api-2 is not running/);
    await runtime.fault(STACK, 'api-3', 'pause');
    st = await runtime.up(STACK, topology);
    for (const name of ['api-2', 'api-3', 'db-primary']) {
      expect(st.services.find((s) => s.name === name)).toMatchObject({ state: 'running', health: 'healthy' });
    }
    const logs = await runtime.logs(STACK, 'db-primary', 50);
    expect(logs).toMatch(/database system was shut down at/);
    expect(logs).not.toMatch(/not properly shut down|automatic recovery/);
  });

  it('down removes every container, network and volume with the stack label, and nothing else', async () => {
    const other = await runtime.docker.createVolume({ Name: 't-unrelated-volume' });
    try {
      await runtime.down(STACK);
      expect(await leftovers(runtime, STACK)).toEqual([]);
      expect((await runtime.docker.getVolume('t-unrelated-volume').inspect()).Name).toBe('t-unrelated-volume');
    } finally {
      await runtime.docker
        .getVolume(other.name ?? 't-unrelated-volume')
        .remove()
        .catch(() => undefined);
    }
  });
});
