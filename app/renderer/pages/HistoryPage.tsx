// Stored runs: their figures, and two compared side by side (e.g. cache off vs on).
import { useCallback, useEffect, useState } from 'react';
import type { RunComparison, RunRecord } from '../../contract/runs.js';
import { useLab } from '../hooks/use-lab.js';
import { ComparisonCharts } from '../components/ComparisonCharts.js';
import { RunExportMenu } from '../components/ExportMenu.js';

const fmt = (x: number | null | undefined) =>
  typeof x !== 'number' ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3);

export function HistoryPage({ onReplay }: { onReplay: (id: string) => void }) {
  const lab = useLab();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [cmp, setCmp] = useState<RunComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    void lab.api.runs.list().then(setRuns, (e: Error) => setError(e.message));
  }, [lab]);
  useEffect(reload, [reload]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  return (
    <div className="panel history">
      {error && <pre className="error">{error}</pre>}
      <table data-testid="runs">
        <thead>
          <tr>
            <th />
            <th>run</th>
            <th>status</th>
            <th>engine</th>
            <th>topology</th>
            <th>req/s</th>
            <th>p95 ms</th>
            <th>errors</th>
            <th>hit ratio</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid={`run-${r.id}`} data-sample={r.sample ? 'true' : 'false'}>
              <td>
                <input
                  type="checkbox"
                  checked={picked.includes(r.id)}
                  onChange={() => toggle(r.id)}
                  aria-label={`pick run ${r.id}`}
                  data-testid={`pick-${r.id}`}
                />
              </td>
              <td>
                {r.id}
                {r.sample ? (
                  <span className="tag" title="recorded on a real stack, shipped with ScaleLab">
                    sample
                  </span>
                ) : null}
              </td>
              <td>{r.status}</td>
              <td>{r.engine}</td>
              <td>
                {r.topology
                  ? `${r.topology.api.instances} API · cache ${r.topology.cache.enabled ? 'on' : 'off'} · ${r.topology.database.replicas} replicas`
                  : '–'}
              </td>
              <td>{fmt(r.summary?.rps)}</td>
              <td>{fmt(r.summary?.latency?.p95)}</td>
              <td>{fmt(r.summary?.errorRate)}</td>
              <td>{fmt(r.summary?.hitRatio)}</td>
              <td>
                <button onClick={() => onReplay(r.id)} data-testid={`replay-${r.id}`}>
                  replay
                </button>
                {!r.sample && (
                  <button
                    onClick={() =>
                      void lab.api.runs.delete({ id: r.id }).then(reload, (e: Error) => setError(e.message))
                    }
                  >
                    delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RunExportMenu runs={picked} />
      <button
        className="primary"
        disabled={picked.length !== 2}
        data-testid="compare"
        onClick={() =>
          void lab.api.runs.compare({ a: picked[0], b: picked[1] }).then(setCmp, (e: Error) => setError(e.message))
        }
      >
        Compare the two picked
      </button>
      {cmp && (
        <>
          <p className="hint">
            A is {cmp.a}, B is {cmp.b}.
          </p>
          <table data-testid="comparison">
            <thead>
              <tr>
                <th>figure</th>
                <th>A</th>
                <th>B</th>
                <th>change</th>
              </tr>
            </thead>
            <tbody>
              {cmp.deltas.map((d) => (
                <tr key={d.figure}>
                  <td>{d.figure}</td>
                  <td>{fmt(d.a)}</td>
                  <td>{fmt(d.b)}</td>
                  <td>{d.change === null ? '–' : `${(d.change * 100).toFixed(0)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ComparisonCharts cmp={cmp} />
        </>
      )}
    </div>
  );
}
