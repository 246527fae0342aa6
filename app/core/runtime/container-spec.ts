// From a planned service to Docker's container-create options (pure, unit-tested).
import type Docker from 'dockerode';
import type { ServiceSpec } from '../topology/plan.js';
import { containerName, LABEL, networkName, volumeName } from './names.js';

/** Where the engine's API listens on its own host (the bind's source is read by the engine). */
const ENGINE_SOCKET = '/var/run/docker.sock';

export interface ContainerContext {
  stack: string;
  image: string;
  appVersion: string;
}

export function toCreateOptions(spec: ServiceSpec, ctx: ContainerContext): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  const purposes: Record<string, string> = {};
  for (const p of spec.ports) {
    const key = `${p.container}/tcp`;
    exposed[key] = {};
    // Published on loopback only: the lab is never reachable from the network.
    (bindings[key] ??= []).push({ HostIp: '127.0.0.1', HostPort: p.host === 0 ? '' : String(p.host) });
    purposes[String(p.container)] = p.purpose;
  }
  const net = networkName(ctx.stack);
  const memory = spec.resources ? spec.resources.memoryMb * 1024 * 1024 : undefined;
  return {
    name: containerName(ctx.stack, spec.name),
    Image: ctx.image,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      [LABEL.stack]: ctx.stack,
      [LABEL.role]: spec.role,
      [LABEL.service]: spec.name,
      [LABEL.version]: ctx.appVersion,
      [LABEL.ports]: JSON.stringify(purposes),
      ...(spec.version ? { [LABEL.apiVersion]: spec.version } : {}),
    },
    ExposedPorts: exposed,
    StopTimeout: 10,
    // PostgreSQL's fast shutdown (SIGINT): a stop stops now, instead of SIGTERM's smart shutdown
    // waiting for the API's pooled connections to go away (writes went on for 11 s).
    ...(spec.role === 'db' ? { StopSignal: 'SIGINT' } : {}),
    HostConfig: {
      NetworkMode: net,
      PortBindings: bindings,
      Init: true,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '5m', 'max-file': '1' } },
      ...(spec.resources
        ? {
            NanoCpus: Math.round(spec.resources.cpus * 1e9),
            Memory: memory,
            MemorySwap: memory,
            ...(spec.resources.cpuset ? { CpusetCpus: spec.resources.cpuset } : {}),
          }
        : {}),
      Mounts: [
        ...(spec.volumePath
          ? [{ Type: 'volume' as const, Source: volumeName(ctx.stack, spec.name), Target: spec.volumePath }]
          : []),
        ...(spec.sharedVolumes ?? []).map((v) => ({
          Type: 'volume' as const,
          Source: volumeName(ctx.stack, v.name),
          Target: v.path,
        })),
        ...(spec.engineSocket
          ? [{ Type: 'bind' as const, Source: ENGINE_SOCKET, Target: ENGINE_SOCKET, ReadOnly: true }]
          : []),
      ],
    },
    NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: [spec.name, ...spec.aliases] } } },
  };
}
