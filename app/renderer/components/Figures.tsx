// The last second's key figures in large type: what a room reads off the projector.
import { SERIES } from '../../contract/series.js';
import type { TimelinePoint } from '../../contract/runs.js';

const fmt = (v: number | null | undefined, d: number, unit = '') =>
  typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(d)}${unit}` : '–';

export function Figures({ last }: { last: TimelinePoint | undefined }) {
  const v = last?.v ?? {};
  const items: Array<[string, string, string]> = [
    ['rps', 'requests/s', fmt(v[SERIES.rps], 0)],
    ['p95', 'p95', fmt(v[SERIES.p95], 1, ' ms')],
    ['errors', 'errors', fmt(percent(v[SERIES.errorRate]), 1, '%')],
    ['hit-ratio', 'cache hit ratio', fmt(v[SERIES.redisHitRatio] ?? v[SERIES.hitRatio], 2)],
    ['lag', 'max lag', fmt(v[SERIES.lagMax], 2, ' s')],
    // Only where the stack runs its own Prometheus (monitoring.enabled).
    ...(typeof v[SERIES.alertsFiring] === 'number'
      ? [['alerts', 'alerts firing', fmt(v[SERIES.alertsFiring], 0)] as [string, string, string]]
      : []),
    // Only once write-behind has queued a write (cache.strategy write-behind): null while Redis is down.
    ...(SERIES.writesLost in v
      ? [['writes-lost', 'writes lost', fmt(v[SERIES.writesLost], 0)] as [string, string, string]]
      : []),
  ];
  return (
    <div className="figures">
      {items.map(([id, label, value]) => (
        <div className="figure" key={id}>
          <div className="figure-value" data-testid={`figure-${id}`}>
            {value}
          </div>
          <div className="figure-label">{label}</div>
        </div>
      ))}
    </div>
  );
}

const percent = (x: number | null | undefined) => (typeof x === 'number' ? x * 100 : null);
