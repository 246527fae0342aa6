import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { getPreset } from '../topology/presets.js';
import { plan } from '../topology/plan.js';
import { toContainerStats } from './container-stats.js';
import { toCreateOptions } from './container-spec.js';
import { demux } from './docker-client.js';
import { baseImageTag, roleImageTag } from './images.js';

const ctx = { adminToken: 't'.repeat(32), dbPassword: 'p'.repeat(24) };

describe('container options', () => {
  const specs = plan(getPreset('full').topology, ctx);
  const opts = (name: string) =>
    toCreateOptions(
      specs.find((s) => s.name === name)!,
      { stack: 'lab', image: 'img', appVersion: '0.1.0' },
    );

  it('publishes every port on 127.0.0.1 only, the entry on its fixed port', () => {
    for (const s of specs) {
      for (const bindings of Object.values(
        toCreateOptions(s, { stack: 'lab', image: 'i', appVersion: 'v' }).HostConfig!.PortBindings as object,
      )) {
        for (const b of bindings as Array<{ HostIp: string }>) expect(b.HostIp).toBe('127.0.0.1');
      }
    }
    expect(opts('lb').HostConfig!.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '8404/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    });
  });

  it('pins the API and the database to one core on one server (stage 1), and nothing else', () => {
    const one = plan(getPreset('single-server').topology, ctx);
    const cpuset = (name: string) =>
      toCreateOptions(
        one.find((s) => s.name === name)!,
        { stack: 'lab', image: 'i', appVersion: 'v' },
      ).HostConfig!.CpusetCpus;
    expect(cpuset('api-1')).toBe('0');
    expect(cpuset('db-primary')).toBe('0');
    expect(opts('api-1').HostConfig!.CpusetCpus).toBeUndefined();
    expect(opts('db-primary').HostConfig!.CpusetCpus).toBeUndefined();
  });

  it('labels containers with stack, role, service, version and port purposes', () => {
    expect(opts('api-2').Labels).toEqual({
      'scalelab.stack': 'lab',
      'scalelab.role': 'api',
      'scalelab.service': 'api-2',
      'scalelab.version': '0.1.0',
      'scalelab.ports': '{"3000":"api"}',
      'scalelab.api-version': 'v1',
    });
    expect(opts('api-2').name).toBe('scalelab-lab-api-2');
  });

  it('sets CPU and memory limits, the DNS aliases, and a labelled volume for databases', () => {
    const api = opts('api-1');
    expect(api.HostConfig!.NanoCpus).toBe(1e9);
    expect(api.HostConfig!.Memory).toBe(256 * 1024 * 1024);
    expect(api.NetworkingConfig!.EndpointsConfig!['scalelab-lab'].Aliases).toEqual(['api-1', 'api']);
    expect(opts('db-replica-1').HostConfig!.Mounts).toEqual([
      { Type: 'volume', Source: 'scalelab-lab-db-replica-1', Target: '/var/lib/postgresql/data' },
    ]);
    // The primary also mounts pgBackRest's repository, a volume that outlives it.
    expect(opts('db-primary').HostConfig!.Mounts).toEqual([
      { Type: 'volume', Source: 'scalelab-lab-db-primary', Target: '/var/lib/postgresql/data' },
      { Type: 'volume', Source: 'scalelab-lab-backup-repo', Target: '/var/lib/pgbackrest' },
    ]);
  });
});

describe('images', () => {
  it('computes the same base tag as the offline builder', () => {
    const { stackDir } = resolveConfig();
    const fromShell = execFileSync('bash', [path.join(stackDir, 'base', 'build-offline.sh'), '--print-tag'], {
      encoding: 'utf8',
    }).trim();
    expect(baseImageTag(stackDir)).toBe(fromShell);
  });
  it('tags role images by their content', () => {
    const { stackDir } = resolveConfig();
    expect(roleImageTag(stackDir, 'lb', 'sha256:aa')).toMatch(/^scalelab\/lb:[0-9a-f]{12}$/);
    expect(roleImageTag(stackDir, 'lb', 'sha256:aa')).not.toBe(roleImageTag(stackDir, 'cdn', 'sha256:aa'));
    expect(roleImageTag(stackDir, 'lb', 'sha256:aa')).not.toBe(roleImageTag(stackDir, 'lb', 'sha256:bb'));
  });
});

describe('docker helpers', () => {
  it('demultiplexes stdout and stderr frames', () => {
    const frame = (type: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = type;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    expect(demux(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')]))).toBe('out\nerr\n');
    expect(demux(Buffer.from('plain tty text'))).toBe('plain tty text');
  });

  it('turns a Docker stats sample into CPU %, memory without page cache, and throttling', () => {
    const s = toContainerStats(
      'api-1',
      {
        cpu_stats: {
          cpu_usage: { total_usage: 3_000_000_000 },
          system_cpu_usage: 20_000_000_000,
          online_cpus: 2,
          throttling_data: { throttled_periods: 12 },
        },
        precpu_stats: {
          cpu_usage: { total_usage: 2_000_000_000 },
          system_cpu_usage: 18_000_000_000,
          online_cpus: 2,
          throttling_data: { throttled_periods: 10 },
        },
        memory_stats: { usage: 100_000_000, limit: 268_435_456, stats: { cache: 20_000_000 } },
      },
      1,
    );
    expect(s).toEqual({
      service: 'api-1',
      at: 1,
      cpuPercent: 100,
      memoryBytes: 80_000_000,
      memoryLimitBytes: 268_435_456,
      throttledPeriods: 2,
    });
  });
});

describe('replication lag', () => {
  it('is 0 when idle, PostgreSQL replay_lag while replay moves, and never the age of an old transaction', async () => {
    const { lagSeconds } = await import('./replication.js');
    const base = { paused: false, replayLag: null, behindSeconds: 0 };
    expect(lagSeconds({ ...base, idle: true, age: 70 })).toBe(0);
    // A minute idle, then a write waiting a 5 s apply delay: replay_lag says 5, not 70.
    expect(lagSeconds({ ...base, idle: false, age: 70, replayLag: 5.02 })).toBe(5.02);
    // No replay_lag yet: the time the reader has seen it behind, not the 70 s age.
    expect(lagSeconds({ ...base, idle: false, age: 70, behindSeconds: 2 })).toBe(2);
    // Paused: lag grows with the time behind, bounded by the last replayed transaction's age.
    expect(lagSeconds({ ...base, idle: false, paused: true, age: 3, behindSeconds: 30 })).toBe(3);
    expect(lagSeconds({ ...base, idle: false, paused: true, age: 40, behindSeconds: 30, replayLag: 0.1 })).toBe(30);
  });
});
