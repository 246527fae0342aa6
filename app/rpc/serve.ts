// Serves a LabApi over any transport: validates each request (envelope and parameters), calls the
// method named "section.method", answers with { result } or { error }, and forwards Lab events.
import type { LabApi, LabEvents } from '../contract/lab-api.js';
import { z } from 'zod';
import { PARAMS } from './params.js';
import { encodeError, requestSchema, type Transport } from './protocol.js';

export interface Servable {
  api: LabApi;
  on<K extends keyof LabEvents>(event: K, fn: (payload: LabEvents[K]) => void): () => void;
}

/** zod's own account of what is wrong ("✖ message → at path"), on one line. */
const oneLine = (e: z.ZodError) => z.prettifyError(e).replace(/\n\s*/g, ' ');

export const FORWARDED_EVENTS: Array<keyof LabEvents> = [
  'stack.progress',
  'stack.status',
  'run.point',
  'run.event',
  'run.end',
];

export function serve(lab: Servable, transport: Transport): () => void {
  const offMessage = transport.onMessage((raw) => {
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      transport.send({
        kind: 'response',
        id,
        error: { name: 'BadRequest', code: 'BAD_INPUT', message: `bad request: ${oneLine(parsed.error)}` },
      });
      return;
    }
    const { id, method, params } = parsed.data;
    const p = PARAMS[method].safeParse(params);
    if (!p.success) {
      transport.send({
        kind: 'response',
        id,
        error: { name: 'BadRequest', code: 'BAD_INPUT', message: `${method}: ${oneLine(p.error)}` },
      });
      return;
    }
    const [section, name] = method.split('.') as [keyof LabApi, string];
    const fn = (lab.api[section] as unknown as Record<string, (arg: unknown) => Promise<unknown>>)[name];
    Promise.resolve()
      .then(() => fn(p.data))
      .then(
        (result) => transport.send({ kind: 'response', id, result: result ?? null }),
        (err) => transport.send({ kind: 'response', id, error: encodeError(err) }),
      );
  });
  const offEvents = FORWARDED_EVENTS.map((event) =>
    lab.on(event, (payload) => transport.send({ kind: 'event', event, payload })),
  );
  return () => {
    offMessage();
    offEvents.forEach((off) => off());
  };
}
