// In a report of a sweep's run (scalelab sweep): every step as judged, the knee, what ended the
// sweep, and the hockey stick: latency and throughput against the offered rate, from the run's
// 'sweep' markers.
import { CartesianGrid, Legend, Line, LineChart, XAxis, YAxis } from 'recharts';
import { stepVerdict, SWEEP_LIMIT_WORDS, type SweepMarker } from '../../contract/capacity.js';
import type { RunEvent } from '../../contract/runs.js';
import { MarkerTable } from './MarkerTable.js';

const isMarker = (d: unknown): d is SweepMarker => !!d && typeof d === 'object' && 'phase' in d;

export function sweepOf(events: RunEvent[]) {
  const markers = events.flatMap((e) => (e.kind === 'sweep' && isMarker(e.detail) ? [e.detail] : []));
  const steps = markers.flatMap((m) => (m.phase === 'step' ? [m.step] : []));
  const done = markers.find((m) => m.phase === 'done') as Extract<SweepMarker, { phase: 'done' }> | undefined;
  return { steps, done: done ?? null };
}

const f = (x: number | null, d = 1) => (x === null ? '–' : x.toFixed(d));

export function Sweep({ events }: { events: RunEvent[] }) {
  const { steps, done } = sweepOf(events);
  if (!steps.length) return null;
  const curve = [...steps].sort((a, b) => a.rate - b.rate).map((s) => ({ ...s, p95: s.p95 ?? undefined }));
  return (
    <>
      <MarkerTable
        title="Capacity sweep"
        hint={
          done
            ? `Objective ${done.objective}, error budget ${(done.maxErrors * 100).toFixed(1)}%. Knee: ${done.knee === null ? 'none (the first step broke)' : `${done.knee} requests/s`}; ended because ${SWEEP_LIMIT_WORDS[done.limit]}. Each step judged on its seconds after the first quarter, latency as the median of its per-second values.`
            : 'The sweep did not finish: its steps so far.'
        }
        testId="report-sweep"
        columns={['offered/s', 'completed/s', 'p50', 'p95', 'p99', 'errors', 'verdict']}
        rows={steps.map((s) => [
          String(s.rate),
          f(s.achieved, 0),
          f(s.p50),
          f(s.p95),
          f(s.p99),
          `${(s.errorRate * 100).toFixed(2)}%`,
          stepVerdict(s),
        ])}
      />
      <h3>Latency and throughput against the offered rate</h3>
      <div data-testid="report-sweep-curve">
        <LineChart width={720} height={260} data={curve} margin={{ top: 8, right: 48, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="rate" type="number" domain={['dataMin', 'dataMax']} unit="/s" />
          <YAxis yAxisId="ms" unit=" ms" />
          <YAxis yAxisId="rps" orientation="right" unit="/s" />
          <Legend />
          <Line yAxisId="ms" dataKey="p95" name="p95 (ms)" stroke="#e5484d" isAnimationActive={false} />
          <Line
            yAxisId="rps"
            dataKey="achieved"
            name="completed (requests/s)"
            stroke="#3e63dd"
            isAnimationActive={false}
          />
        </LineChart>
      </div>
    </>
  );
}
