// In a report: each failover or switchover drill of the run, with what it measured (the drill's
// own writes at the entry point, Patroni's cluster view, the orders read back afterwards).
import type { RunEvent } from '../../contract/runs.js';
import type { DrillResult } from '../../contract/stack.js';
import { drillRows } from '../database/DrillFigures.js';

/** The run's drills (pure). */
export function drillEvents(events: RunEvent[]): Array<{ t: number; label: string; result: DrillResult }> {
  return events.flatMap((e) =>
    e.kind === 'drill' && e.detail ? [{ t: e.t, label: e.label, result: e.detail as DrillResult }] : [],
  );
}

export function Drills({ events, t0 }: { events: RunEvent[]; t0: number }) {
  const drills = drillEvents(events);
  if (!drills.length) return null;
  return (
    <>
      <h2>High availability drills</h2>
      <p className="hint">
        Measured by the drill&apos;s own writes (orders, 40/s) through the entry point: the write outage runs from the
        first write that failed to the first acknowledged again; lost writes are acknowledged order ids missing on the
        leader afterwards.
      </p>
      {drills.map((d) => (
        <div key={d.t} data-testid="report-drill">
          <h3>
            {Math.round((d.result.faultAt - t0) / 1000)} s: {d.result.kind}
          </h3>
          <table data-testid="drill-figures">
            <tbody>
              {drillRows(d.result).map(([label, value, title]) => (
                <tr key={label} title={title}>
                  <th scope="row">{label}</th>
                  <td>{value}</td>
                </tr>
              ))}
              {d.result.notes.map((n) => (
                <tr key={n}>
                  <th scope="row">note</th>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}
