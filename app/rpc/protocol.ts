// The wire protocol every transport carries (Electron IPC, WebSocket, in memory): requests,
// responses and events as plain JSON, validated with zod where they arrive. Errors cross as
// data ({ error }) and are rethrown as real Errors on the other side, code and hint kept.
import { z } from 'zod';
import { LAB_METHODS } from '../contract/lab-api.js';

export const requestSchema = z.strictObject({
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.enum(LAB_METHODS),
  params: z.unknown().optional(),
});
export type RpcRequest = z.infer<typeof requestSchema>;

export const errorSchema = z.object({
  name: z.string(),
  message: z.string(),
  code: z.string().optional(),
  hint: z.string().optional(),
});
export type RpcErrorData = z.infer<typeof errorSchema>;

export const responseSchema = z.union([
  z.strictObject({ kind: z.literal('response'), id: z.number().int(), result: z.unknown() }),
  z.strictObject({ kind: z.literal('response'), id: z.number().int(), error: errorSchema }),
]);
export type RpcResponse = z.infer<typeof responseSchema>;

export const eventSchema = z.strictObject({ kind: z.literal('event'), event: z.string(), payload: z.unknown() });
export type RpcEvent = z.infer<typeof eventSchema>;

export type RpcMessage = RpcRequest | RpcResponse | RpcEvent;

/** An error as it crosses a transport. */
export function encodeError(err: unknown): RpcErrorData {
  if (err instanceof Error) {
    const e = err as Error & { code?: string; hint?: string };
    return {
      name: e.name,
      message: e.message,
      ...(e.code ? { code: e.code } : {}),
      ...(e.hint ? { hint: e.hint } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}

/** The Error a caller catches: the message, and the code and hint of the original. */
export class RpcError extends Error {
  readonly code?: string;
  readonly hint?: string;
  constructor(data: RpcErrorData) {
    super(data.message);
    this.name = data.name;
    this.code = data.code;
    this.hint = data.hint;
  }
}

/** What a transport adapter provides: send a message, and be told of the ones that arrive. */
export interface Transport {
  send(message: RpcMessage): void;
  onMessage(handler: (message: unknown) => void): () => void;
}
