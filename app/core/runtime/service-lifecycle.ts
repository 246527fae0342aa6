// Making and unmaking a stack's parts on a Docker engine: its network, each service's container
// (started as soon as what it depends on is healthy, gated on a probe from the host), removal.
import type Docker from 'dockerode';
import net from 'node:net';
import type { Role, ServiceSpec } from '../topology/plan.js';
import type { Topology } from '../topology/schema.js';
import { toCreateOptions } from './container-spec.js';
import { containerLogs, isConflict, isNotFound } from './docker-client.js';
import { LabError, PortInUseError, UnhealthyError } from './errors.js';
import { runProbe } from './health-probe.js';
import { LABEL, networkName, volumeName } from './names.js';
import type { ProgressSink } from './stack-runtime.js';

const HEALTH_POLL_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LifecycleOptions {
  appVersion: string;
  /** How long a service may take to become healthy. */
  healthTimeoutMs?: number;
}

export class ServiceLifecycle {
  constructor(
    private readonly docker: Docker,
    private readonly opts: LifecycleOptions,
  ) {}

  async ensureNetwork(stack: string, topology: Topology): Promise<void> {
    try {
      await this.docker.getNetwork(networkName(stack)).inspect();
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.docker.createNetwork({
          Name: networkName(stack),
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: {
            [LABEL.stack]: stack,
            [LABEL.version]: this.opts.appVersion,
            [LABEL.topology]: JSON.stringify(topology),
          },
        });
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  }

  /** Starts services as soon as what they depend on is healthy; independent ones in parallel. */
  async startServices(
    stack: string,
    specs: ServiceSpec[],
    alreadyRunning: Set<string>,
    images: Record<Role, string>,
    dbPassword: string,
    onProgress: ProgressSink,
  ): Promise<void> {
    const started = new Map<string, Promise<void>>();
    for (const spec of specs) {
      started.set(
        spec.name,
        (async () => {
          const deps = spec.dependsOn
            .filter((d) => !alreadyRunning.has(d))
            .map((d) => started.get(d))
            .filter(Boolean);
          await Promise.all(deps);
          await this.startService(stack, spec, images[spec.role], dbPassword, onProgress);
        })(),
      );
    }
    const results = await Promise.allSettled(started.values());
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async startService(
    stack: string,
    spec: ServiceSpec,
    image: string,
    dbPassword: string,
    onProgress: ProgressSink,
  ): Promise<void> {
    const emit = (phase: 'create' | 'start' | 'health' | 'ready' | 'error', message: string) =>
      onProgress({ service: spec.name, phase, message, at: Date.now() });
    if (spec.volumePath) {
      await this.docker.createVolume({
        Name: volumeName(stack, spec.name),
        Labels: { [LABEL.stack]: stack, [LABEL.service]: spec.name },
      });
    }
    // Created once, kept when the service is recreated (creating an existing volume is a no-op).
    for (const v of spec.sharedVolumes ?? [])
      await this.docker.createVolume({ Name: volumeName(stack, v.name), Labels: { [LABEL.stack]: stack } });
    emit('create', image);
    const container = await this.docker.createContainer(
      toCreateOptions(spec, { stack, image, appVersion: this.opts.appVersion }),
    );
    emit('start', 'starting');
    try {
      await container.start();
    } catch (err) {
      const msg = (err as Error).message;
      const port = /(?:port is already allocated|address already in use).*?(\d{2,5})?/i.exec(msg);
      const published = spec.ports.find((p) => p.host !== 0);
      if (port && published)
        throw new PortInUseError(
          published.host,
          published.purpose === 'edge' ? 'ports.edge' : published.purpose === 'tls' ? 'ports.tls' : 'ports.entry',
        );
      emit('error', msg);
      throw new LabError(`Could not start ${spec.name}: ${msg}`, 'START_FAILED');
    }
    emit('health', 'waiting for its health check');
    await this.waitHealthy(container, spec, dbPassword);
    emit('ready', 'healthy');
  }

  private async waitHealthy(container: Docker.Container, spec: ServiceSpec, dbPassword: string): Promise<void> {
    const timeoutMs = this.opts.healthTimeoutMs ?? 90_000;
    const deadline = Date.now() + timeoutMs;
    const port = spec.ports.find((p) => p.purpose === spec.probe.purpose)!;
    let target: { host: string; port: number } | undefined;
    for (let i = 0; ; i++) {
      // The container's state is read every few polls only: a probe is cheap, an inspect less so.
      if (i % 5 === 0 || !target) {
        const info = await container.inspect();
        if (!info.State.Running) {
          throw new UnhealthyError(
            spec.name,
            `its container exited with code ${info.State.ExitCode}`,
            await containerLogs(container, 30),
          );
        }
        const hostPort = info.NetworkSettings.Ports?.[`${port.container}/tcp`]?.find(
          (b) => b.HostIp === '127.0.0.1',
        )?.HostPort;
        target = hostPort ? { host: '127.0.0.1', port: Number(hostPort) } : undefined;
      }
      if (target && (await runProbe(spec.probe, target, dbPassword))) return;
      if (Date.now() > deadline) {
        throw new UnhealthyError(
          spec.name,
          `its ${spec.probe.kind} health probe still fails after ${Math.round(timeoutMs / 1000)} s`,
          await containerLogs(container, 30),
        );
      }
      await sleep(HEALTH_POLL_MS);
    }
  }

  /** Removes containers by id; graceful lets an API instance drain first (stack/api/src/server.ts),
   *  so no request is lost; volumes go with services that are no longer wanted. */
  async remove(
    stack: string,
    list: Array<{ id: string; service: string; running: boolean }>,
    onProgress: ProgressSink,
    o: { graceful?: boolean; volumes?: boolean } = {},
  ): Promise<void> {
    await Promise.all(
      list.map(async (c) => {
        onProgress({
          service: c.service,
          phase: 'remove',
          message: o.graceful && c.running ? 'draining and stopping' : 'removing',
          at: Date.now(),
        });
        const container = this.docker.getContainer(c.id);
        try {
          if (o.graceful && c.running) await container.stop({ t: 10 }).catch(() => undefined);
          await container.remove({ force: true, v: true });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        if (o.volumes)
          await this.docker
            .getVolume(volumeName(stack, c.service))
            .remove()
            .catch(() => undefined);
      }),
    );
  }
}

/** Host ports the topology publishes must be free (checked before anything that would hold them starts). */
export async function checkPortsFree(ports: Array<{ port: number; field: string }>): Promise<void> {
  for (const { port, field } of ports) if (!(await portFree(port))) throw new PortInUseError(port, field);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
