// bench:traffic, part 3: what TLS costs a request. A product read at 50/s through the balancer,
// four ways (HTTP or HTTPS, connections kept alive or one per request), each BENCH_SECONDS, twice
// in alternation; beside it, the reference: curl's own handshake time against the same port
// (time_appconnect - time_connect, with the balancer's certificate as the only one trusted).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab } from '../../app/core/create-lab.js';
import { getPreset } from '../../app/core/topology/presets.js';

const STACK = 'bench-tls';

export async function tlsCost(dataDir: string, seconds: number): Promise<void> {
  const lab = createLab({ stack: STACK, dataDir });
  const topology = structuredClone(getPreset('three-tier').topology);
  topology.ports = { entry: 0, edge: 0, tls: 0 };
  topology.loadBalancer.tls = true;
  console.log(`\n3. TLS: a product read at 50/s, ${seconds} s a way, twice in alternation (p50 / p95, ms)`);
  const st = await lab.api.stack.up({ topology });
  try {
    const base = structuredClone((await lab.api.load.workloads()).find((w) => w.name === 'read-heavy')!);
    base.mix = { 'cheap-read': 1 };
    base.rate = { kind: 'constant', rate: 50, durationSeconds: seconds };
    const ways = [
      { name: 'http, kept alive', over: {} },
      { name: 'http, a connection each', over: { keepAlive: false } },
      { name: 'https, kept alive', over: { tls: true } },
      { name: 'https, a handshake each', over: { tls: true, keepAlive: false } },
    ];
    const seen = new Map<string, string[]>();
    for (let round = 0; round < 2; round++)
      for (const way of ways) {
        const started = await lab.api.load.start({ workload: { ...base, ...way.over } });
        await lab.runDone();
        const l = (await lab.api.runs.open({ id: started.id })).run.summary!.latency!;
        seen.set(way.name, [...(seen.get(way.name) ?? []), `${l.p50.toFixed(2)} / ${l.p95.toFixed(2)}`]);
      }
    for (const way of ways) console.log(`${way.name.padEnd(28)} ${seen.get(way.name)!.join('   ')}`);

    const ca = path.join(mkdtempSync(path.join(os.tmpdir(), 'scalelab-tls-')), 'lb.crt');
    writeFileSync(ca, await lab.runtime.tlsCertificate(STACK));
    const handshakes = Array.from({ length: 20 }, () => {
      const out = execFileSync(
        'curl',
        ['-s', '-o', '/dev/null', '--cacert', ca, '-w', '%{time_connect} %{time_appconnect}', `${st.tlsUrl}/healthz`],
        { encoding: 'utf8' },
      );
      const [connect, app] = out.split(' ').map(Number);
      return (app - connect) * 1000;
    }).sort((a, b) => a - b);
    console.log(`reference: curl's TLS handshake, median of 20   ${handshakes[10].toFixed(2)} ms`);
  } finally {
    await lab.api.stack.down();
  }
}
