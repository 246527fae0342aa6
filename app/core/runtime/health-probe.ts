// Health probes run from the host over each service's published loopback port: an HTTP GET,
// a Redis PING, a PostgreSQL query. Far cheaper than `docker exec` (a process per check) on a
// small machine, and they see what a client sees: a paused container simply times out.
import net from 'node:net';
import pg from 'pg';
import type { Probe } from '../topology/plan.js';

export interface ProbeTarget {
  host: string;
  port: number;
}

const TIMEOUT_MS = 1000;

function httpProbe(t: ProbeTarget, path: string): Promise<boolean> {
  return fetch(`http://${t.host}:${t.port}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.ok;
    },
    () => false,
  );
}

function redisProbe(t: ProbeTarget): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(t.port, t.host);
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(TIMEOUT_MS, () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    // A Redis with a password answers NOAUTH: it is up and serving, which is what health means here.
    sock.on('data', (d) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
    sock.on('error', () => done(false));
    sock.on('close', () => resolve(false));
  });
}

async function postgresProbe(t: ProbeTarget, password: string): Promise<boolean> {
  const client = new pg.Client({
    host: t.host,
    port: t.port,
    user: 'scalelab',
    password,
    database: 'scalelab',
    connectionTimeoutMillis: TIMEOUT_MS,
    query_timeout: TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    // "too many clients" (53300): up and answering with every slot taken, as pg_isready counts
    // it too. The connections chart shows that; the node is not down.
    return (err as { code?: string }).code === '53300';
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function runProbe(probe: Probe, target: ProbeTarget, dbPassword: string): Promise<boolean> {
  switch (probe.kind) {
    case 'http':
      return httpProbe(target, probe.path);
    case 'redis':
      return redisProbe(target);
    case 'postgres':
      return postgresProbe(target, dbPassword);
  }
}
