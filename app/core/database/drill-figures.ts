// The figures of a drill, from its probe's writes and the rows found afterwards, decided apart
// from any I/O: the write outage (RTO) and the acknowledged writes that were lost (RPO).
import type { ProbeWrite } from './write-probe.js';

/** How long writes failed because of the fault: from the first write that failed after it (a
 *  killed leader fails the writes in flight at once; a switchover only once the leader steps down)
 *  to the answer of the first write acknowledged after the last failure. 0 when none failed; null
 *  when writes never came back. */
export function writeOutageMs(writes: ProbeWrite[], faultAt: number): number | null {
  const failed = writes.filter((w) => w.id === null && w.doneAt >= faultAt);
  if (!failed.length) return 0;
  const start = Math.max(faultAt, Math.min(...failed.map((w) => w.sentAt)));
  const lastFailureSent = Math.max(...failed.map((w) => w.sentAt));
  let back: ProbeWrite | null = null;
  for (const w of writes)
    if (w.id !== null && w.sentAt > lastFailureSent && (!back || w.doneAt < back.doneAt)) back = w;
  return back ? back.doneAt - start : null;
}

/** Order ids that were acknowledged to the client but are not in the database now, ascending. */
export function lostAcknowledged(writes: ProbeWrite[], present: ReadonlySet<number>): number[] {
  return writes
    .map((w) => w.id)
    .filter((id): id is number => id !== null && !present.has(id))
    .sort((a, b) => a - b);
}

export function writeCounts(writes: ProbeWrite[]): { sent: number; acknowledged: number; failed: number } {
  const acknowledged = writes.filter((w) => w.id !== null).length;
  return { sent: writes.length, acknowledged, failed: writes.length - acknowledged };
}
