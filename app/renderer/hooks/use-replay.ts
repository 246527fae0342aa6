// Replaying a stored run in the live views, at 1x to 20x, with no Docker: its points are fed
// one by one on a timer, and its events appear when their second comes.
import { useEffect, useRef, useState } from 'react';
import type { RunData, RunEvent, TimelinePoint } from '../../contract/runs.js';
import { useLab } from './use-lab.js';
import { appendPoint } from './timeline.js';

export const SPEEDS = [1, 2, 5, 10, 20];
const TICKS_PER_SECOND = 4;

export function useReplay(id: string | null) {
  const lab = useLab();
  const [data, setData] = useState<RunData | null>(null);
  const [points, setPoints] = useState<TimelinePoint[]>([]);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [speed, setSpeed] = useState(5);
  const [error, setError] = useState<string | null>(null);
  const index = useRef(0);

  useEffect(() => {
    setData(null);
    setPoints([]);
    setEvents([]);
    index.current = 0;
    setError(null);
    if (!id) return;
    lab.api.runs.open({ id }).then(setData, (e: Error) => setError(e.message));
  }, [lab, id]);

  useEffect(() => {
    if (!data || index.current >= data.timeline.length) return;
    // Four renders a second whatever the speed: at 20x each tick adds five seconds of the run,
    // so the charts draw as often as they do live.
    // What is owed follows the wall clock, not the tick count: on a busy machine ticks come late,
    // and each then carries more seconds, so a replay keeps its speed.
    let owed = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      owed += (speed * (now - last)) / 1000;
      last = now;
      const batch: TimelinePoint[] = [];
      while (owed >= 1 && index.current < data.timeline.length) {
        batch.push(data.timeline[index.current++]);
        owed -= 1;
      }
      if (index.current >= data.timeline.length) clearInterval(timer);
      if (!batch.length) return;
      setPoints((prev) => batch.reduce(appendPoint, prev));
      const lastT = batch[batch.length - 1].t;
      setEvents(data.events.filter((e) => e.t <= lastT + 1000));
    }, 1000 / TICKS_PER_SECOND);
    return () => clearInterval(timer);
  }, [data, speed]);

  const done = !!data && index.current >= data.timeline.length;
  return {
    data,
    points,
    events,
    speed,
    setSpeed,
    error,
    done,
    progress: data ? `${Math.min(index.current, data.timeline.length)}/${data.timeline.length} s` : '',
  };
}
