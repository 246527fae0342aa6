// Replaying a stored run in the live views, at 1x to 20x, with no Docker: its points are fed
// one by one on a timer, and its events appear when their second comes.
import { useEffect, useRef, useState } from 'react';
import type { RunData, RunEvent, TimelinePoint } from '../../contract/runs.js';
import { useLab } from './use-lab.js';
import { appendPoint } from './timeline.js';

export const SPEEDS = [1, 2, 5, 10, 20];

export function useReplay(id: string | null) {
  const lab = useLab();
  const [data, setData] = useState<RunData | null>(null);
  const [points, setPoints] = useState<TimelinePoint[]>([]);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [speed, setSpeed] = useState(5);
  const [error, setError] = useState<string | null>(null);
  const index = useRef(0);

  useEffect(() => {
    setData(null); setPoints([]); setEvents([]); index.current = 0; setError(null);
    if (!id) return;
    lab.api.runs.open({ id }).then(setData, (e: Error) => setError(e.message));
  }, [lab, id]);

  useEffect(() => {
    if (!data || index.current >= data.timeline.length) return;
    const timer = setInterval(() => {
      const p = data.timeline[index.current++];
      if (!p) { clearInterval(timer); return; }
      setPoints((prev) => appendPoint(prev, p));
      setEvents(data.events.filter((e) => e.t <= p.t + 1000));
    }, 1000 / speed);
    return () => clearInterval(timer);
  }, [data, speed]);

  const done = !!data && index.current >= data.timeline.length;
  return { data, points, events, speed, setSpeed, error, done, progress: data ? `${Math.min(index.current, data.timeline.length)}/${data.timeline.length} s` : '' };
}
