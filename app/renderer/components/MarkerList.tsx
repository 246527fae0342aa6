// Every switch and fault of the run with its effect: the seconds before against the seconds after.
import type { RunEvent, TimelinePoint } from '../../contract/runs.js';
import { EFFECT_WINDOW_S, markerEffects } from '../hooks/marker-effects.js';

const f = (v: number | null | undefined, d: number, scale = 1) =>
  typeof v === 'number' ? (v * scale).toFixed(d) : '–';

export function MarkerList({ points, events }: { points: TimelinePoint[]; events: RunEvent[] }) {
  if (!events.length) return null;
  const t0 = points[0]?.t ?? events[0].t;
  return (
    <div className="panel markers" data-testid="markers">
      <strong>Switches and faults</strong>{' '}
      <span className="hint">
        (mean of the {EFFECT_WINDOW_S} s before → the {EFFECT_WINDOW_S} s after)
      </span>
      <table>
        <thead>
          <tr>
            <th>at</th>
            <th>what</th>
            <th>p95 ms</th>
            <th>req/s</th>
            <th>errors %</th>
            <th>hit ratio</th>
          </tr>
        </thead>
        <tbody>
          {markerEffects(points, events).map(({ event, before, after, afterSeconds }) => (
            <tr key={`${event.t}-${event.label}`} data-testid="marker-row">
              <td>{Math.round((event.t - t0) / 1000)} s</td>
              <td>
                {event.kind}: {event.label}
              </td>
              <td>
                {f(before.p95, 1)} → {afterSeconds ? f(after.p95, 1) : '…'}
              </td>
              <td>
                {f(before.rps, 0)} → {afterSeconds ? f(after.rps, 0) : '…'}
              </td>
              <td>
                {f(before.errors, 1, 100)} → {afterSeconds ? f(after.errors, 1, 100) : '…'}
              </td>
              <td>
                {f(before.hit, 2)} → {afterSeconds ? f(after.hit, 2) : '…'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
