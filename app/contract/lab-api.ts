// THE typed API of ScaleLab. Every host (CLI, Electron IPC, WebSocket bridge) serves this one
// interface; rpc/ flattens it to method names ("stack.up") listed in LAB_METHODS.
import type {
  ApplyResult, ContainerStats, FaultKind, ReplicaLag, StackProgress, StackStatus,
} from './stack.js';
import type { PresetInfo, Topology, TopologyChange, TopologyInput } from './topology.js';

/** A topology is named by a preset, given whole, or both (the topology's fields win over the preset's). */
export interface TopologyRequest { preset?: string; topology?: TopologyInput }

export interface StackApi {
  presets(): Promise<PresetInfo[]>;
  status(): Promise<StackStatus>;
  /** Validates and fills defaults; throws naming each bad field. */
  validate(req: TopologyRequest): Promise<Topology>;
  /** What apply() would change, without changing anything. */
  preview(req: TopologyRequest): Promise<TopologyChange[]>;
  up(req: TopologyRequest): Promise<StackStatus>;
  apply(req: TopologyRequest): Promise<ApplyResult>;
  down(): Promise<void>;
  fault(req: { service: string; kind: FaultKind }): Promise<void>;
  logs(req: { service: string; tail?: number }): Promise<string>;
  replication(): Promise<ReplicaLag[]>;
}

export interface LabApi {
  stack: StackApi;
}

export interface LabEvents {
  'stack.progress': StackProgress;
  'stack.stats': ContainerStats[];
}

export const LAB_METHODS = [
  'stack.presets', 'stack.status', 'stack.validate', 'stack.preview', 'stack.up', 'stack.apply', 'stack.down',
  'stack.fault', 'stack.logs', 'stack.replication',
] as const;
export type LabMethod = (typeof LAB_METHODS)[number];
