// In a report: each re-sharding of the run (database.shards or database.sharding applied while it
// ran), with what the engine's mover measured.
import type { RunEvent } from '../../contract/runs.js';
import { FigureTable } from './FigureTable.js';
import type { RebalanceFigures } from '../../contract/stack.js';
import { rebalanceRows } from '../../contract/shard-figures.js';

/** The run's re-shardings (pure): when, the switch's label, and the mover's figures. */
export function reshardings(events: RunEvent[]): Array<{ t: number; label: string; rows: string[][] }> {
  return events.flatMap((e) => {
    const r = (e.detail as { rebalance?: RebalanceFigures } | undefined)?.rebalance;
    return e.kind === 'switch' && r ? [{ t: e.t, label: e.label, rows: rebalanceRows(r) }] : [];
  });
}

export function Resharding({ events, t0 }: { events: RunEvent[]; t0: number }) {
  const moves = reshardings(events);
  if (!moves.length) return null;
  return (
    <>
      <h2>Re-sharding</h2>
      <p className="hint">
        Orders moved between shards by the engine while the run went on: each batch deleted on its old shard inside a
        transaction, inserted on its new one, then committed, so every order stayed readable. The API wrote by the new
        layout and read from every shard meanwhile.
      </p>
      {moves.map((m) => (
        <div key={m.t} data-testid="report-resharding">
          <h3>
            {Math.round((m.t - t0) / 1000)} s: {m.label}
          </h3>
          <FigureTable rows={m.rows} />
        </div>
      ))}
    </>
  );
}
