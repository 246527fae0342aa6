// Why a request failed, in one vocabulary for both engines (series.ts FailureReason): an HTTP
// error class, or what went wrong on the wire. A refused connection (nothing listens), a reset
// (the peer dropped it) and a timeout (the peer hung) teach different things about a fault.
import type { FailureReason } from '../../contract/series.js';

export function failureOfStatus(status: number): FailureReason | undefined {
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return undefined;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'ABORT_ERR',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);

/** A transport error thrown by undici (or Node's net), by its code or its cause's. */
export function failureOfError(err: unknown): FailureReason {
  for (
    let e = err as { code?: unknown; cause?: unknown; name?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (TIMEOUT_CODES.has(code) || e.name === 'TimeoutError') return 'timeout';
    if (code === 'ECONNREFUSED') return 'refused';
    if (RESET_CODES.has(code)) return 'reset';
    e = e.cause as typeof e;
  }
  return 'other';
}

/** k6's error_code tag (lib/netext/httpext/error_codes.go): 1050 request timeout, 1211 dial
 *  timeout, 1212 dial refused, 1220 reset by peer, 1201 broken pipe. */
export function failureOfK6Code(code: string | undefined, status: number): FailureReason | undefined {
  if (status > 0) return failureOfStatus(status);
  switch (code) {
    case '1050':
    case '1211':
      return 'timeout';
    case '1212':
      return 'refused';
    case '1220':
    case '1201':
      return 'reset';
    default:
      return 'other';
  }
}
