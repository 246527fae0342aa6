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
      {r.run.prediction && (
        <p data-testid="prediction">
          <strong>Predicted, then measured:</strong> {predictionLine(r.run.prediction, r.run.summary)}.
        </p>
      )}
    </>
  );
}
