// What an instance's primary and its workers say to each other (cluster IPC).
import type { ApiConfig } from './admin-config.js';

/** A change every worker of the instance applies: the live switches, or a stall fault. */
export type InstanceChange =
  | { kind: 'config'; config: ApiConfig }
  | { kind: 'stall'; until: number }
  /** A worker joined: ask clients to reconnect for a moment (a kept-alive connection stays with
   *  the worker that accepted it, so a new worker would otherwise see none of the old clients). */
  | { kind: 'spread'; until: number };

export type FromWorker =
  /** Apply this on every worker; answer me (reply with my id) once all have. */
  | { type: 'everywhere'; id: number; change: InstanceChange }
  /** I have applied the change relayed under `key`. */
  | { type: 'applied'; key: string }
  /** The instance's metrics, summed over its workers, please. */
  | { type: 'metrics'; id: number };

export type ToWorker =
  { type: 'apply'; key: string; change: InstanceChange } | { type: 'reply'; id: number; text?: string; error?: string };
