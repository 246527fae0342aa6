// Which changes to the stack a run records that this process did not make itself: switches and
// faults another ScaleLab process logged (change-log.ts), and containers that changed under
// Docker with no change to explain them (someone ran `docker kill`, a container crashed). Pure:
// the caller feeds it and records what it returns.
import type { RunEventKind } from '../../contract/runs.js';
import type { StackChange } from '../runtime/change-log.js';
import type { ContainerEvent } from '../runtime/container-events.js';

/** Container events a change explains come within this long of it (a drain takes up to 10 s);
 *  a change logged by another process is written after the events it caused. */
export const EXPLAINED_MS = 15_000;
/** How long a container event waits before it is judged: the log line that explains it may
 *  still be on its way (another process appends it when its change is done; this one reads the
 *  log twice a second). */
export const HOLD_MS = 1500;

export interface RecordedChange {
  kind: RunEventKind;
  label: string;
  detail: Record<string, unknown>;
}

export class OutsideChanges {
  /** service ('*': all) -> times of changes that touched it. */
  private marks = new Map<string, number[]>();

  constructor(private readonly ownPid: number = process.pid) {}

  /** A change this process made (already recorded by it): its containers' events are its own.
   *  '*' stands for every service (bringing the stack up or down). */
  own(services: string[], at = Date.now()): void {
    for (const s of services) {
      const times = (this.marks.get(s) ?? []).filter((t) => t > at - 4 * EXPLAINED_MS);
      times.push(at);
      this.marks.set(s, times);
    }
  }

  private explained(service: string, at: number): boolean {
    const near = (t: number) => Math.abs(t - at) <= EXPLAINED_MS;
    return [...(this.marks.get(service) ?? []), ...(this.marks.get('*') ?? [])].some(near);
  }

  /** A line of the stack's change log. */
  logged(c: StackChange): RecordedChange | null {
    this.own(c.services, c.t);
    if (c.pid === this.ownPid) return null;
    return {
      kind: c.kind,
      label: c.label,
      detail: { ...(c.detail as object), by: `another ScaleLab process (pid ${c.pid})` },
    };
  }

  /** A container event from Docker, judged HOLD_MS after it arrived. */
  container(e: ContainerEvent): RecordedChange | null {
    if (this.explained(e.service, e.at)) return null;
    const by = { service: e.service, action: e.action, by: 'Docker (not made by ScaleLab)' };
    switch (e.action) {
      case 'die':
        return { kind: 'fault', label: `${e.service} exited (code ${e.detail ?? '?'})`, detail: by };
      case 'pause':
      case 'unpause':
      case 'start':
        return { kind: 'fault', label: `${e.action} ${e.service}`, detail: by };
      default:
        return null;
    }
  }
}
