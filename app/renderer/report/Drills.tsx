// In a report: each failover or switchover drill of the run, with what it measured (the drill's
// own writes at the entry point, Patroni's cluster view, the orders read back afterwards).
import type { RunEvent } from '../../contract/runs.js';
import { FigureTable } from './FigureTable.js';
import type { DrillResult, RestoreResult } from '../../contract/stack.js';
import { drillRows } from '../database/DrillFigures.js';
import { restoreRows } from '../database/RestoreFigures.js';

type Recorded = DrillResult | ({ kind: 'restore' } & RestoreResult);

/** The run's drills (pure): each one's title, when its fault came, and its figures. */
export function drillEvents(events: RunEvent[]): Array<{ t: number; title: string; at: number; rows: string[][] }> {
  return events.flatMap((e) => {
    if (e.kind !== 'drill' || !e.detail) return [];
    const r = e.detail as Recorded;
    return r.kind === 'restore'
      ? [
          {
            t: e.t,
            title: 'restore (point in time)',
            at: r.disasterAt,
            rows: [...restoreRows(r), ...r.notes.map((n) => ['note', n, ''])],
          },
        ]
      : [{ t: e.t, title: r.kind, at: r.faultAt, rows: [...drillRows(r), ...r.notes.map((n) => ['note', n, ''])] }];
  });
}

export function Drills({ events, t0 }: { events: RunEvent[]; t0: number }) {
  const drills = drillEvents(events);
  if (!drills.length) return null;
  return (
    <>
      <h2>Database drills</h2>
      <p className="hint">
        Measured by the drill&apos;s own writes (orders, 40/s) through the entry point: the write outage runs from the
        first write that failed to the first acknowledged again; lost writes are acknowledged order ids missing
        afterwards. A restore drill counts the orders acknowledged before and after the point it restored to.
      </p>
      {drills.map((d) => (
        <div key={d.t} data-testid="report-drill">
          <h3>
            {Math.round((d.at - t0) / 1000)} s: {d.title}
          </h3>
          <FigureTable rows={d.rows} testId="drill-figures" />
        </div>
      ))}
    </>
  );
}
