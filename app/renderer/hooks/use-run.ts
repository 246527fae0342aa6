// The current run as it streams: points, events (switches, faults) and its end.
import { useCallback, useEffect, useState } from 'react';
import type { RunEvent, RunRecord, TimelinePoint } from '../../contract/runs.js';
import { useLab } from './use-lab.js';
import { appendPoint } from './timeline.js';

export function useRun() {
  const lab = useLab();
  const [run, setRun] = useState<RunRecord | null>(null);
  const [points, setPoints] = useState<TimelinePoint[]>([]);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void lab.api.load.current().then((r) => {
      if (r) setRun(r);
    });
    const offs = [
      lab.on('run.point', (p) => setPoints((prev) => appendPoint(prev, p))),
      lab.on('run.event', (e) => setEvents((prev) => [...prev, e])),
      lab.on('run.end', (r) => setRun(r)),
    ];
    return () => offs.forEach((off) => off());
  }, [lab]);

  const start = useCallback(
    async (req: Parameters<typeof lab.api.load.start>[0]) => {
      setError(null);
      setPoints([]);
      setEvents([]);
      try {
        setRun(await lab.api.load.start(req));
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [lab],
  );
  /** A capacity sweep: one run whose rate the engine raises step by step (its steps arrive as
   *  'sweep' markers); resolves when the sweep has its knee. */
  const sweep = useCallback(
    async (req: Parameters<typeof lab.api.capacity.sweep>[0]) => {
      setError(null);
      setPoints([]);
      setEvents([]);
      const done = lab.api.capacity.sweep(req);
      // The sweep starts its run at once: show it as the current run.
      setTimeout(() => void lab.api.load.current().then((r) => r && setRun(r)), 500);
      try {
        await done;
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [lab],
  );
  const stop = useCallback(async () => {
    try {
      await lab.api.load.stop();
    } catch (err) {
      setError((err as Error).message);
    }
  }, [lab]);
  const setRate = useCallback(
    async (rate: number | null) => {
      try {
        await lab.api.load.setRate({ rate });
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [lab],
  );

  return { run, points, events, error, start, sweep, stop, setRate, running: run?.status === 'running' };
}
