// Exit codes scripts can rely on (documented in the README), decided by error code alone.
import { ZodError } from 'zod';
import type { LabErrorCode } from '../contract/errors.js';

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

const BY_CODE: Partial<Record<LabErrorCode, number>> = {
  BAD_INPUT: EXIT.badInput,
  NO_SUCH_SERVICE: EXIT.badInput,
  NO_SUCH_RUN: EXIT.badInput,
  NO_SUCH_CURVE: EXIT.badInput,
  K6_MISSING: EXIT.badInput,
  DOCKER_UNAVAILABLE: EXIT.dockerUnavailable,
  STACK_NOT_RUNNING: EXIT.notRunning,
  UNHEALTHY: EXIT.unhealthy,
  START_FAILED: EXIT.unhealthy,
  PORT_IN_USE: EXIT.portInUse,
  IMAGE_UNAVAILABLE: EXIT.imageUnavailable,
};

export function exitCodeOf(err: unknown): number {
  if (err instanceof ZodError) return EXIT.badInput;
  const code = (err as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && BY_CODE[code as LabErrorCode]) || EXIT.failure;
}
