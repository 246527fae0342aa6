// Reports and exports against the real engine: a real run (with a live switch and a fault) made
// into every format from its folder, and the compose export brought up with Debian's
// docker-compose, answering through its own load balancer with no ScaleLab involved.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Workload } from '../../contract/load.js';
import { createLab, type Lab } from '../create-lab.js';
import { describeDocker, getJson, TEST_SEED, testTopology } from '../testing/docker-env.js';
import { parseRunDocument } from './run-document.js';
import { stackFiles } from './reports-service.js';

const run = promisify(execFile);
const STACK = 't-report';
const PROJECT = 'scalelab-t-compose';
const home = mkdtempSync(path.join(os.tmpdir(), 'scalelab-reports-'));
const composeDir = mkdtempSync(path.join(os.tmpdir(), 'scalelab-compose-'));
const compose = (...args: string[]) =>
  run('docker-compose', ['-p', PROJECT, ...args], { cwd: composeDir, timeout: 240_000, maxBuffer: 16 << 20 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeDocker('reports and exports on the real engine', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = createLab({ stack: STACK, dataDir: home, seed: TEST_SEED });
    await lab.api.stack.up({
      topology: testTopology('load-balanced', (t) => {
        t.api.instances = 2;
        t.cache.enabled = false;
      }),
    });
  });
  afterAll(async () => {
    await lab?.api.stack.down().catch(() => undefined);
    await compose('down', '-v', '--remove-orphans').catch(() => undefined);
  });

  it('a real run with a switch and a fault becomes html, csv, json and a k6 summary, from its folder alone', async () => {
    const workload: Workload = {
      name: 'report',
      description: 'reads',
      mix: { 'cheap-read': 80, list: 20 },
      keys: { distribution: 'zipf', zipfExponent: 1.1, keySpace: 300 },
      // Long enough that the switch and the fault land inside it: on a busy CI runner the live
      // apply took most of a 12 s run, and the fault came after it had ended.
      rate: { kind: 'constant', rate: 60, durationSeconds: 20 },
      thinkTimeMs: 0,
      slowMs: 50,
      thresholds: { http_req_duration: ['p(95)<2000'] },
    };
    const started = await lab.api.load.start({ workload });
    await sleep(4_000);
    const { topology } = await lab.api.stack.status();
    await lab.api.stack.apply({ topology: { ...topology!, cache: { ...topology!.cache, enabled: true } } });
    await lab.api.stack.fault({ service: 'api-2', kind: 'restart' });
    await lab.runDone();

    const data = await lab.api.runs.open({ id: started.id });
    expect(data.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['switch', 'fault']));
    const html = await lab.api.reports.build({ run: 'last', format: 'html' });
    expect(html.filename).toBe(`scalelab-${started.id}.html`);
    expect(html.content.match(/<svg[^>]*role="application"/g)).toHaveLength(23);
    expect(html.content).toContain('restart api-2');
    expect(html.content).toContain('cache.enabled: false → true');

    const csv = await lab.api.reports.build({ run: started.id, format: 'csv' });
    const lines = csv.content.trimEnd().split('\n');
    expect(lines).toHaveLength(data.timeline.length + 1);
    expect(lines[0].split(',')).toEqual(
      expect.arrayContaining(['load.rps', 'load.p95', 'redis.hit_ratio', 'load.instance.api-1']),
    );

    const json = await lab.api.reports.build({ run: started.id, format: 'json' });
    const doc = parseRunDocument(json.content);
    expect(doc.timeline).toEqual(data.timeline);
    expect(doc.events).toEqual(data.events);
    expect(doc.run).toEqual(data.run);

    const k6 = JSON.parse((await lab.api.reports.build({ run: started.id, format: 'k6-summary' })).content);
    expect(k6.metrics.http_reqs.count).toBe(data.run.summary!.requests);
    expect(k6.metrics.http_req_duration.thresholds).toEqual({ 'p(95)<2000': !data.run.summary!.thresholdsPassed });

    // A run still going is refused.
    const going = await lab.api.load.start({
      workload: { ...workload, rate: { kind: 'constant', rate: 5, durationSeconds: 30 } },
    });
    await expect(lab.api.reports.build({ run: going.id, format: 'html' })).rejects.toThrow(/still going/);
    await lab.api.load.stop();
  });

  it('the compose export passes `docker-compose config` and brings up a stack that answers through its load balancer, its Prometheus scraping every part', async () => {
    const topology = testTopology('full', (t) => {
      t.api.instances = 2;
      t.database.replicas = 1;
      t.edgeCache.enabled = false;
      t.monitoring.enabled = true;
    });
    const files = await stackFiles('compose', topology, {
      runtime: lab.runtime,
      stackDir: lab.config.stackDir,
      loadScriptsDir: lab.config.loadScriptsDir,
      appVersion: lab.config.appVersion,
      seed: TEST_SEED,
    });
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(composeDir, name)), { recursive: true });
      writeFileSync(path.join(composeDir, name), body);
    }
    const { stdout: config } = await compose('config');
    expect(config).toMatch(/db-replica-1:/);
    expect(config).toMatch(/127\.0\.0\.1/);
    expect((await compose('config', '--services')).stdout.trim().split('\n').sort()).toEqual([
      'alertmanager',
      'api-1',
      'api-2',
      'cache',
      'db-primary',
      'db-replica-1',
      'lb',
      'prometheus',
      'redis-exporter',
    ]);
    // The rules' `$value` reached Prometheus as written (compose would have read it as a variable).
    expect(files['monitoring/alert-rules.yml']).toMatch(/\$value/);

    await compose('up', '-d');
    const port = (await compose('port', 'lb', '80')).stdout.trim().split(':').pop();
    const base = `http://127.0.0.1:${port}`;
    // The API seeds the database on first start: give it a bounded minute and a half.
    let last: unknown;
    const instances = new Set<string>();
    for (const end = Date.now() + 90_000; Date.now() < end && instances.size < 2; await sleep(1000)) {
      try {
        const r = await getJson(`${base}/products/7`);
        last = r.status;
        if (r.status === 200) instances.add(r.headers.get('x-instance') ?? '');
      } catch (err) {
        last = err;
      }
    }
    expect(instances.size, `last answer: ${String(last)}`).toBe(2);
    // Its Prometheus scrapes every part, each target up, with no ScaleLab involved.
    const prom = `http://127.0.0.1:${(await compose('port', 'prometheus', '9090')).stdout.trim().split(':').pop()}`;
    let health: string[] = [];
    for (const end = Date.now() + 30_000; Date.now() < end; await sleep(1000)) {
      const targets = (await (await fetch(`${prom}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ labels: { instance: string }; health: string }> };
      };
      health = targets.data.activeTargets.map((x) => `${x.labels.instance} ${x.health}`).sort();
      if (health.length === 8 && health.every((h) => h.endsWith(' up'))) break;
    }
    expect(health).toEqual(
      ['alertmanager', 'api-1', 'api-2', 'db-primary', 'db-replica-1', 'lb', 'prometheus', 'redis-exporter'].map(
        (n) => `${n} up`,
      ),
    );
    const { stdout: ps } = await run('docker', [
      'ps',
      '--filter',
      `label=com.docker.compose.project=${PROJECT}`,
      '--format',
      '{{.Names}} {{.Ports}}',
    ]);
    expect(ps).not.toMatch(/0\.0\.0\.0/);
  }, 300_000);

  it("the Kubernetes export names images the engine has, and its balancer starts in the cluster's DNS mode", async () => {
    const topology = testTopology('load-balanced');
    const files = await stackFiles('kubernetes', topology, {
      runtime: lab.runtime,
      stackDir: lab.config.stackDir,
      loadScriptsDir: lab.config.loadScriptsDir,
      appVersion: lab.config.appVersion,
      seed: TEST_SEED,
    });
    const images = [...String(files['scalelab.yaml']).matchAll(/image: (\S+)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(3);
    // What `kind load docker-image` would take: every image is on this engine.
    for (const image of new Set(images)) await run('docker', ['image', 'inspect', image]);
    // HAProxy with the pod's resolv.conf and a Service's full name (which does not resolve here):
    // its config must still be valid and it must keep running, waiting for the name.
    const lb = images.find((i) => i.includes('/lb:'))!;
    const name = `scalelab-t-k8s-lb-${process.pid}`;
    await run('docker', [
      'run',
      '-d',
      '--name',
      name,
      '-e',
      'LB_DNS=resolv.conf',
      '-e',
      'API_HOST=api.scalelab.svc.cluster.local',
      lb,
    ]);
    try {
      await sleep(3000);
      const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Running}}', name]);
      const { stdout: logs, stderr } = await run('docker', ['logs', name]);
      expect(stdout.trim(), logs + stderr).toBe('true');
      const { stdout: cfg } = await run('docker', ['exec', name, 'cat', '/run/haproxy/haproxy.cfg']);
      expect(cfg).toMatch(/parse-resolv-conf/);
      expect(cfg).toMatch(/server-template api \d+ api\.scalelab\.svc\.cluster\.local:3000/);
    } finally {
      await run('docker', ['rm', '-f', name]).catch(() => undefined);
    }
  }, 120_000);
});
