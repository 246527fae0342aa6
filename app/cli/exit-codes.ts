// Exit codes scripts can rely on (documented in the README).
import { ZodError } from 'zod';
import { TopologyError } from '../core/topology/schema.js';
import { LabError } from '../core/runtime/errors.js';
import { WorkloadError } from '../core/load/workload-schema.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  badInput: 2,
  dockerUnavailable: 3,
  notRunning: 4,
  unhealthy: 5,
  portInUse: 6,
  imageUnavailable: 7,
  /** As k6: a run whose thresholds failed. */
  thresholdsFailed: 99,
} as const;

export function exitCodeOf(err: unknown): number {
  if (err instanceof TopologyError || err instanceof WorkloadError || err instanceof ZodError) return EXIT.badInput;
  if (err instanceof LabError) {
    switch (err.code) {
      case 'DOCKER_UNAVAILABLE':
        return EXIT.dockerUnavailable;
      case 'STACK_NOT_RUNNING':
        return EXIT.notRunning;
      case 'UNHEALTHY':
      case 'START_FAILED':
        return EXIT.unhealthy;
      case 'PORT_IN_USE':
        return EXIT.portInUse;
      case 'IMAGE_UNAVAILABLE':
        return EXIT.imageUnavailable;
      case 'NO_SUCH_SERVICE':
      case 'BAD_FAULT':
      case 'BAD_INPUT':
      case 'NO_SUCH_RUN':
      case 'K6_MISSING':
        return EXIT.badInput;
      default:
        return EXIT.failure;
    }
  }
  return EXIT.failure;
}
