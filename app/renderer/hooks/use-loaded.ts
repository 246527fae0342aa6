// Loads from the Lab when a component mounts (or its inputs change) and drops a reply that arrives
// after it is gone: setting state on an unmounted component is a leak, and in tests a reply landing
// after the environment's teardown is an unhandled error that fails the run.
import { useEffect, useRef, type DependencyList } from 'react';

export function useLoaded<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  onValue: (value: T) => void,
  onError: (err: unknown) => void = () => undefined,
): void {
  // The latest handlers, so callers may pass fresh closures without reloading.
  const handlers = useRef({ onValue, onError });
  handlers.current = { onValue, onError };
  useEffect(() => {
    let alive = true;
    load().then(
      (v) => alive && handlers.current.onValue(v),
      (e: unknown) => alive && handlers.current.onError(e),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what reloads
  }, deps);
}

/** Whether the component is still mounted, for replies to loads that are also run on demand. */
export function useAlive(): { readonly current: boolean } {
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  return alive;
}
