// A scaling curve's capacity report: the verdict first, then the measured knees over the fitted
// laws, the fits with their uncertainty, each value's knee and measurement, the plan, and every
// sweep's hockey stick side by side. Drawn at a fixed width so it renders to static SVG.
import { CartesianGrid, Legend, Line, LineChart, XAxis, YAxis } from 'recharts';
import type { CurveReportModel } from '../../contract/capacity.js';
import { verdictLine } from '../../contract/measurement.js';
import { CurveSetup, curveVerdict, FitTable, headroomLine, PointsTable } from '../capacity/CurveTables.js';
import { hockeySticks } from '../capacity/scaling-curve-data.js';
import { ScalingCurveChart } from '../capacity/ScalingCurveChart.js';

const WIDTH = 720;
const COLOURS = ['#3e63dd', '#e5484d', '#30a46c', '#f76b15', '#8e4ec6', '#12a594', '#ffc53d', '#8e8c99'];

export const curveTitle = (m: CurveReportModel) =>
  `ScaleLab capacity: ${m.curve.field} = ${m.curve.request.across.values.join(', ')}`;

export function CurveDocument({ model }: { model: CurveReportModel }) {
  const c = model.curve;
  const plan = headroomLine(c);
  const sticks = hockeySticks(c);
  const distorted = model.measurements.flatMap((m, i) => (m?.verdict === 'distorted' ? [{ m, i }] : []));
  return (
    <>
      <header>
        <h1>{curveTitle(model)}</h1>
        <div className="meta">
          Made {new Date(model.generatedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC by ScaleLab{' '}
          {model.appVersion} from the curve and its sweeps&apos; run folders alone.
        </div>
      </header>
      <p data-testid="curve-verdict">{curveVerdict(c)}</p>
      {distorted.length > 0 && (
        <p className="fail" data-testid="curve-distorted">
          The load generator distorted {distorted.length} of the sweeps: their knees say more about it than about the
          stack.
        </p>
      )}
      <CurveSetup c={c} />
      <h2>Throughput at the knee against {c.field}</h2>
      <p className="hint">
        Each dot is one sweep&apos;s knee: the requests/s completed at the highest rate that held {c.request.objective}.
        The lines are the laws fitted to the dots by least squares.
      </p>
      <ScalingCurveChart curve={c} width={WIDTH} />
      <h2>The fits</h2>
      <p className="hint">
        X(N) = λN / (1 + σ(N−1) + κN(N−1)). σ is contention (the share that runs one at a time), κ coherency (the cost
        of keeping N copies in step, which makes throughput fall past a peak); Amdahl&apos;s law holds κ at 0. ± one
        standard error, from the fit&apos;s covariance.
      </p>
      <FitTable c={c} />
      <h2>Each value&apos;s knee</h2>
      <PointsTable c={c} measurements={model.measurements} />
      {plan && (
        <>
          <h2>Headroom</h2>
          <p data-testid="curve-headroom">{plan}</p>
        </>
      )}
      <h2>p95 against the offered rate, at each {c.field}</h2>
      <p className="hint">Each sweep&apos;s steps: latency stays flat, then turns up at the knee.</p>
      <div data-testid="curve-hockey-sticks">
        <LineChart width={WIDTH} height={280} margin={{ top: 8, right: 24, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="rate"
            type="number"
            domain={['dataMin', 'dataMax']}
            unit="/s"
            allowDuplicatedCategory={false}
          />
          <YAxis unit=" ms" />
          <Legend />
          {sticks.map((s, i) => (
            <Line
              key={s.value}
              data={s.rows}
              dataKey="p95"
              name={`${c.field} = ${s.value}`}
              stroke={COLOURS[i % COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </div>
      {distorted.length > 0 && (
        <>
          <h2>Measurement</h2>
          <ul>
            {distorted.map(({ m, i }) => (
              <li key={i}>
                {c.field} = {c.points[i]!.value}: {verdictLine(m)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
