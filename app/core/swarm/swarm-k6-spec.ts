// k6 as a Swarm service (pure): one service, a replica per generator, each task running the
// execution segment of its slot, as the k6 operator runs one pod per segment on Kubernetes. A
// service has one spec for all its tasks, so the segment is chosen inside the task: Swarm gives
// each its slot through a template ({{.Task.Slot}}), and a shell line picks the slot's segment
// from the list before it starts the image's own entrypoint. The script and the workload reach
// every node as Swarm configs (a bind mount exists on this machine only); the output leaves through
// the task's log, the one stream Swarm carries back from any node.
import type Docker from 'dockerode';
import type { K6Segment } from '../load/k6-segments.js';

/** Label on the k6 service, its configs and its starter: the stack whose run they serve. Not the
 *  stack's own label: a generator is not a part of the stack (status, drain and apply skip it). */
export const K6_LABEL = 'scalelab.k6-of';
/** Where the tasks find the script and the workload (configs mounted read-only). */
export const K6_DIR = '/scalelab';

export const k6ServiceName = (stack: string) => `scalelab-${stack}-k6`;

/** Picks this slot's segment, then runs the image's entrypoint with k6's arguments ("$@"). */
const PICK_SEGMENT =
  'seg=$(echo "$SCALELAB_K6_SEGMENTS" | cut -d" " -f"$SCALELAB_K6_SLOT"); ' +
  'exec "$@" --execution-segment "$seg" --execution-segment-sequence "$SCALELAB_K6_SEQUENCE" "$SCALELAB_K6_SCRIPT"';

export interface K6ServiceInput {
  stack: string;
  /** The k6 image as every node pulls it. */
  image: string;
  /** The image's entrypoint (["k6"] for grafana/k6), which the segment picker ends by running. */
  entrypoint: string[];
  /** k6's arguments up to the script: `run`, the outputs, --paused... (k6-process.ts k6Args). */
  args: string[];
  segments: K6Segment[];
  /** The stack's overlay network. */
  network: string;
  /** Swarm configs by the path they are mounted at inside the task. */
  configs: Array<{ path: string; id: string; name: string }>;
  /** The script's path inside the task. */
  script: string;
  /** Ready and active nodes: at most ceil(generators / nodes) tasks on one, so they spread. */
  nodes: number;
}

export function k6ServiceSpec(o: K6ServiceInput): Docker.CreateServiceOptions {
  const n = o.segments.length;
  const labels = { [K6_LABEL]: o.stack };
  return {
    Name: k6ServiceName(o.stack),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: o.image,
        Command: ['/bin/sh', '-c', PICK_SEGMENT, 'k6'],
        Args: [...o.entrypoint, ...o.args],
        Env: [
          'SCALELAB_K6_SLOT={{.Task.Slot}}',
          `SCALELAB_K6_SEGMENTS=${o.segments.map((s) => s.segment).join(' ')}`,
          `SCALELAB_K6_SEQUENCE=${o.segments[0].sequence}`,
          `SCALELAB_K6_SCRIPT=${o.script}`,
        ],
        Labels: labels,
        Configs: o.configs.map((c) => ({
          File: { Name: c.path, UID: '0', GID: '0', Mode: 0o444 },
          ConfigID: c.id,
          ConfigName: c.name,
        })),
        // k6 ends a test cleanly on SIGINT (its summary, exit 105), as Ctrl-C does.
        StopSignal: 'SIGINT',
        StopGracePeriod: 15e9,
      },
      // A generator runs its segment once: one that ends is not started again.
      RestartPolicy: { Condition: 'none' },
      Placement: { MaxReplicas: Math.ceil(n / Math.max(1, o.nodes)) },
      Networks: [{ Target: o.network }],
    },
    Mode: { Replicated: { Replicas: n } },
  } as Docker.CreateServiceOptions;
}

/** The generator a task runs: slot i runs segment i (k6-1 is slot 1). */
export function generatorOfSlot(segments: K6Segment[], slot: number | undefined): K6Segment | undefined {
  return slot === undefined ? undefined : segments[slot - 1];
}

/** A task's exit, from what Swarm says of it: null while it has not ended. */
export function taskExit(t: {
  Status?: { State?: string; Err?: string; ContainerStatus?: { ExitCode?: number } };
}): { code: number; why?: string } | null {
  const state = t.Status?.State ?? '';
  if (state === 'complete') return { code: t.Status?.ContainerStatus?.ExitCode ?? 0 };
  if (state === 'failed' || state === 'shutdown')
    return { code: t.Status?.ContainerStatus?.ExitCode ?? 1, why: t.Status?.Err };
  // Never started: Swarm could not place it or its node went away.
  if (state === 'rejected' || state === 'orphaned' || state === 'remove')
    return { code: 1, why: t.Status?.Err ?? state };
  return null;
}
