// One feed of what happens to the stack, for whoever listens while they listen: Docker's
// container events and the stack's change log, followed only while someone subscribes (the
// console's pushed status, a run recording outside changes). Changes this process makes are
// announced too, so listeners can tell them from others'.
import type { ChangeLog, StackChange } from '../runtime/change-log.js';
import type { ContainerEvent } from '../runtime/container-events.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';

export interface FeedListener {
  container?(e: ContainerEvent): void;
  logged?(c: StackChange): void;
  /** A change this process made, touching these services. */
  own?(services: string[]): void;
}

export class StackFeed {
  private readonly listeners = new Set<FeedListener>();
  private stop: (() => void) | null = null;

  constructor(
    private readonly runtime: StackRuntime,
    private readonly log: ChangeLog,
    private readonly stack: string,
  ) {}

  subscribe(l: FeedListener): () => void {
    this.listeners.add(l);
    if (!this.stop) {
      const offEvents = this.runtime.events(this.stack, (e) => this.listeners.forEach((x) => x.container?.(e)));
      const offLog = this.log.follow(this.stack, (c) => this.listeners.forEach((x) => x.logged?.(c)));
      this.stop = () => {
        offEvents();
        offLog();
      };
    }
    return () => {
      this.listeners.delete(l);
      if (this.listeners.size === 0 && this.stop) {
        this.stop();
        this.stop = null;
      }
    };
  }

  /** This process changed the stack: logged for other processes, announced to listeners here. */
  changed(change: Omit<StackChange, 'pid' | 't'>): void {
    try {
      this.log.append(this.stack, change);
    } catch {
      // An unwritable data folder loses the log line, never the change itself.
    }
    this.announce(change.services);
  }

  /** The stack is gone: so is its change log. */
  forget(): void {
    this.log.remove(this.stack);
  }

  /** This process is changing these services ('*': all) without a change to log (up, down). */
  announce(services: string[]): void {
    this.listeners.forEach((x) => x.own?.(services));
  }

  /** Runs a change of this process: its services' events are announced as its own from the start
   *  to the end, however long it takes (a new replica is cloned in tens of seconds). */
  async during<T>(services: string[], action: () => Promise<T>): Promise<T> {
    this.announce(services);
    const timer = setInterval(() => this.announce(services), 5000);
    try {
      return await action();
    } finally {
      clearInterval(timer);
      this.announce(services);
    }
  }
}
