// In a report: the run's verdict on its own measurement, and the room's prediction against it.
import { verdictLine } from '../../contract/measurement.js';
import { predictionLine } from '../../contract/prediction.js';
import type { ReportRun } from '../../contract/reports.js';

/** The run's verdict on its own measurement, where it has one. */
export function Measurement({ r }: { r: ReportRun }) {
  const m = r.run.summary?.measurement;
  if (!m) return null;
  return (
    <>
      <p className={m.verdict === 'distorted' ? 'fail' : 'hint'} data-testid="measurement">
        Measurement {verdictLine(m)}.
      </p>
      <Generators r={r} />
      {r.run.prediction && (
        <p data-testid="prediction">
          <strong>Predicted, then measured:</strong> {predictionLine(r.run.prediction, r.run.summary)}.
        </p>
      )}
    </>
  );
}

/** A run split over several k6 generators: which part of the test each ran and what it measured. */
function Generators({ r }: { r: ReportRun }) {
  const gens = r.run.summary?.generators;
  if (!gens) return null;
  const onNodes = gens.some((g) => g.node);
  return (
    <table data-testid="generators">
      <caption>Load generators: k6 processes, each running one execution segment of the test</caption>
      <thead>
        <tr>
          <th>generator</th>
          <th>segment</th>
          <th>responses</th>
          <th>failed</th>
          <th>dropped</th>
          <th>k6 exit</th>
          {onNodes && <th>node</th>}
        </tr>
      </thead>
      <tbody>
        {gens.map((g) => (
          <tr key={g.name}>
            <td>{g.name}</td>
            <td>{g.segment}</td>
            <td>{g.requests}</td>
            <td>{g.failed}</td>
            <td>{g.dropped}</td>
            <td>{g.exitCode}</td>
            {onNodes && <td>{g.node ?? ''}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
