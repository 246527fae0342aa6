// One change of the stack's topology at a time in this process: a second apply (a deploy, the
// autoscaler's rescale) while one runs is refused with what runs, instead of two convergences
// racing over the same containers.
import { LabError } from '../../contract/errors.js';

export class ApplyLock {
  private running: string | null = null;

  /** Runs `fn` as `what`; refused while another change runs. */
  async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.running)
      throw new LabError(
        `${this.running} is still being applied: one change of the stack at a time`,
        'BAD_INPUT',
        'Wait for it to finish, then apply again.',
      );
    this.running = what;
    try {
      return await fn();
    } finally {
      this.running = null;
    }
  }
}
