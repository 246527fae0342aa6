// cache.strategy write-behind: the queue of acknowledged writes, a Redis stream read by a consumer
// group (every flusher of every instance a consumer of it). An entry leaves the stream only once
// PostgreSQL has it: until then it is the only copy, which is the strategy's risk.
import type { Redis } from 'ioredis';

export const WRITE_QUEUE = 'writes:orders';
export const FLUSH_GROUP = 'flushers';

/** One acknowledged order, as queued: `id` is its stream entry's, `ref` the order's own key (its
 *  row's write_ref), made by the API before it asked Redis, so a write that went both ways lands once. */
export interface QueuedOrder {
  id: string;
  ref: string;
  productId: number;
  quantity: number;
  clientId: string | null;
  /** When it was acknowledged (epoch ms): the row's created_at. */
  at: number;
}

type StreamEntries = [id: string, fields: string[]][];

function parse(entries: StreamEntries): QueuedOrder[] {
  return entries.flatMap(([id, fields]) => {
    if (!fields) return []; // an id whose entry was deleted meanwhile (XAUTOCLAIM reports those apart)
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    const order = { productId: Number(f.p), quantity: Number(f.q), clientId: f.c || null, at: Number(f.t) };
    return [{ id, ref: f.r ?? id, ...order }];
  });
}

const isNoGroup = (err: unknown) => err instanceof Error && err.message.startsWith('NOGROUP');

export class WriteQueue {
  constructor(private readonly redis: Redis) {}

  /** XADD: the write is acknowledged once Redis has it. Throws when Redis does not answer. */
  async enqueue(o: Omit<QueuedOrder, 'id'>): Promise<string> {
    const id = await this.redis.xadd(
      WRITE_QUEUE,
      '*',
      'p',
      String(o.productId),
      'q',
      String(o.quantity),
      'c',
      o.clientId ?? '',
      't',
      String(o.at),
      'r',
      o.ref,
    );
    if (!id) throw new Error('XADD returned no id');
    return id;
  }

  /** Entries for this consumer: first those another consumer took and left for `staleMs` (a
   *  worker that died, an instance scaled away, a flush that failed), then new ones. Empty when
   *  there is no queue yet (no write-behind write since Redis started). */
  async take(consumer: string, count: number, staleMs: number): Promise<QueuedOrder[]> {
    try {
      return await this.read(consumer, count, staleMs);
    } catch (err) {
      if (!isNoGroup(err)) throw err;
      // The stream exists but its group does not (or neither): create the group over what is there.
      if (!(await this.redis.exists(WRITE_QUEUE))) return [];
      await this.redis.xgroup('CREATE', WRITE_QUEUE, FLUSH_GROUP, '0').catch((e: Error) => {
        if (!e.message.startsWith('BUSYGROUP')) throw e;
      });
      return this.read(consumer, count, staleMs);
    }
  }

  private async read(consumer: string, count: number, staleMs: number): Promise<QueuedOrder[]> {
    const claimed = (await this.redis.xautoclaim(
      WRITE_QUEUE,
      FLUSH_GROUP,
      consumer,
      staleMs,
      '0-0',
      'COUNT',
      count,
    )) as [string, StreamEntries];
    const stale = parse(claimed[1] ?? []);
    if (stale.length) return stale;
    const fresh = (await this.redis.xreadgroup(
      'GROUP',
      FLUSH_GROUP,
      consumer,
      'COUNT',
      count,
      'STREAMS',
      WRITE_QUEUE,
      '>',
    )) as [string, StreamEntries][] | null;
    return parse(fresh?.[0]?.[1] ?? []);
  }

  /** Once PostgreSQL has them: acknowledged to the group and removed from the stream, at once. */
  async done(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.redis
      .multi()
      .xack(WRITE_QUEUE, FLUSH_GROUP, ...ids)
      .xdel(WRITE_QUEUE, ...ids)
      .exec();
  }
}
