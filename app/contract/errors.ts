// Errors as every host and the console see them: a code to decide by, a message saying what went
// wrong, and a hint saying what to do, kept apart. The console decides by code, never by
// matching message text; the CLI maps codes to exit codes.

export const LAB_ERROR_CODES = [
  /** Any malformed input: a topology field, a workload, an option, a fault kind, a stack name. */
  'BAD_INPUT',
  'NO_SUCH_SERVICE',
  'NO_SUCH_RUN',
  'NO_SUCH_CURVE',
  'DOCKER_UNAVAILABLE',
  'STACK_NOT_RUNNING',
  'UNHEALTHY',
  'START_FAILED',
  'PORT_IN_USE',
  'IMAGE_UNAVAILABLE',
  'EXEC_FAILED',
  'K6_MISSING',
  'K6_FAILED',
  /** The k6 engine cannot change rate or VUs while it runs (its arrival-rate scenarios are fixed). */
  'RATE_NOT_LIVE',
  'VUS_NOT_LIVE',
  'NO_RUN',
  'RUN_ACTIVE',
  'RUN_LIVE',
  'RUN_CORRUPT',
  'CURVE_CORRUPT',
  'RUN_EMPTY',
  'RUN_SAMPLE',
  'DATA_DIR_UNWRITABLE',
  'REPORT_RENDERER',
  'NO_CHROMIUM',
  'DISCONNECTED',
] as const;
export type LabErrorCode = (typeof LAB_ERROR_CODES)[number];

export class LabError extends Error {
  constructor(
    message: string,
    readonly code: LabErrorCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

/** What a host or the console shows of any error: its message, and its code and hint where it has them. */
export interface ErrorInfo {
  message: string;
  code?: string;
  hint?: string;
}

export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; hint?: unknown };
    return {
      message: e.message,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.hint === 'string' && e.hint ? { hint: e.hint } : {}),
    };
  }
  return { message: String(err) };
}

/** Why a text is not JSON, without quoting the text: JSON.parse's own message quotes the start of
 *  what it read, and an error must never show a file's contents (a path given by mistake, or on
 *  purpose, to a file that is not a workload: "/etc/passwd" must not answer "root:x:0:0"). */
export function jsonProblem(err: unknown): string {
  const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  return `not valid JSON${at ? ` (at character ${at})` : ''}`;
}
