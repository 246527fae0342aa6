// Measured knees over the fitted Universal Scalability Law and Amdahl's law: where the stack's
// throughput goes as N grows. A fixed width for reports (static SVG), the container's in the console.
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CurveResult } from '../../contract/capacity.js';
import { measuredKnees, scalingCurveRows } from './scaling-curve-data.js';

export function ScalingCurveChart({ curve, width }: { curve: CurveResult; width?: number }) {
  const rows = scalingCurveRows(curve);
  const chart = (
    <ComposedChart
      width={width}
      height={width ? 280 : undefined}
      data={rows}
      margin={{ top: 8, right: 24, bottom: 16, left: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        dataKey="n"
        type="number"
        domain={[1, 'dataMax']}
        allowDuplicatedCategory={false}
        allowDecimals={false}
        label={{ value: curve.field, position: 'insideBottom', offset: -8 }}
      />
      <YAxis unit="/s" />
      {!width && <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(0)}/s` : String(v))} />}
      <Legend verticalAlign="top" />
      {curve.usl && (
        <Line dataKey="usl" name="USL fit" stroke="#3e63dd" dot={false} connectNulls isAnimationActive={false} />
      )}
      {curve.amdahl && (
        <Line
          dataKey="amdahl"
          name="Amdahl fit"
          stroke="#8e8c99"
          strokeDasharray="5 4"
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      )}
      <Scatter
        data={measuredKnees(curve)}
        dataKey="measured"
        name="measured at the knee"
        fill="#e5484d"
        isAnimationActive={false}
      />
    </ComposedChart>
  );
  return (
    <div
      data-testid="scaling-curve"
      role="img"
      aria-label={`throughput at the knee against ${curve.field}, measured and fitted`}
    >
      {width ? (
        chart
      ) : (
        <ResponsiveContainer width="100%" height={280}>
          {chart}
        </ResponsiveContainer>
      )}
    </div>
  );
}
