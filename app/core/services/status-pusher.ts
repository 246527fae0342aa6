// The stack's status pushed to the console when it changes, instead of the console polling it
// (each status probes every container's health). A change is any container event, a logged
// change or one made here; a burst of them (a bring-up starts nine containers) is one refresh.
import type { StackStatus } from '../../contract/stack.js';
import type { StackRuntime } from '../runtime/stack-runtime.js';
import type { StackFeed } from './stack-feed.js';

const SETTLE_MS = 300;
const SETTLED_MS = 3000;
/** Health changes with no container event (a hung instance fails its probe): looked at this often. */
const HEALTH_EVERY_MS = 10_000;

export function pushStatus(
  feed: StackFeed,
  runtime: StackRuntime,
  stack: string,
  emit: (s: StackStatus) => void,
): () => void {
  let last = '';
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  const refresh = async () => {
    if (running) return void (again = true);
    running = true;
    try {
      const st = await runtime.status(stack);
      const text = JSON.stringify(st);
      if (text !== last) {
        last = text;
        emit(st);
      }
    } catch {
      // No engine: the console's own fallback poll shows the error.
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  let settled: NodeJS.Timeout | null = null;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), SETTLE_MS);
    // Health settles a moment after a change (the balancer's probe may catch an instance just
    // killed): looked at again once things are quiet, so a passing state does not stay on screen.
    if (settled) clearTimeout(settled);
    settled = setTimeout(() => void refresh(), SETTLED_MS);
  };
  const off = feed.subscribe({ container: schedule, logged: schedule, own: schedule });
  const health = setInterval(() => void refresh(), HEALTH_EVERY_MS);
  return () => {
    off();
    clearInterval(health);
    if (timer) clearTimeout(timer);
    if (settled) clearTimeout(settled);
  };
}
