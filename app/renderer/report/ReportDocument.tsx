// A run's report (or two runs compared) as one React tree: the same diagram, charts and marker
// list as the console, drawn at a fixed width so they render to static SVG.
import type { ReportFigure, ReportModel, ReportRun } from '../../contract/reports.js';
import type { TimelinePoint } from '../../contract/runs.js';
import type { Workload } from '../../contract/load.js';
import { ComparisonCharts } from '../components/ComparisonCharts.js';
import { LiveCharts } from '../components/LiveCharts.js';
import { MarkerList } from '../components/MarkerList.js';
import { StaticChartWidth } from '../components/SeriesChart.js';
import { StackDiagram } from '../components/StackDiagram.js';
import { plannedStatus } from './planned-services.js';
import { Drills } from './Drills.js';
import { Resharding } from './Resharding.js';
import { Autoscaling } from './Autoscaling.js';
import { Deploys } from './Deploys.js';
import { Alerts } from './Alerts.js';
import { QueryPlans } from './QueryPlans.js';
import { SignificanceTable } from './Significance.js';
import { Sweep } from './Sweep.js';
import { Measurement } from './Measurement.js';

export const REPORT_CHART_WIDTH = 560;

const num = (v: number | null | undefined, unit = '') => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  const s = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
  return unit ? `${s} ${unit}` : s;
};
const when = (t: number | null) =>
  t === null ? '–' : new Date(t).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/** Each series' mean over the run: the figure a diagram node shows for a recorded run. */
function meanPoint(timeline: TimelinePoint[]): TimelinePoint {
  const sums: Record<string, [number, number]> = {};
  for (const p of timeline)
    for (const [k, v] of Object.entries(p.v))
      if (typeof v === 'number') {
        const s = (sums[k] ??= [0, 0]);
        s[0] += v;
        s[1] += 1;
      }
  return { t: timeline[0]?.t ?? 0, v: Object.fromEntries(Object.entries(sums).map(([k, [s, n]]) => [k, s / n])) };
}

function rateProfile(w: Workload): string {
  return w.rate.kind === 'constant'
    ? `${w.rate.rate} req/s for ${w.rate.durationSeconds} s`
    : `from ${w.rate.startRate} req/s: ${w.rate.stages.map((s) => `${s.targetRate} req/s over ${s.durationSeconds} s`).join(', then ')}`;
}

function FiguresTable({ figures }: { figures: ReportFigure[] }) {
  return (
    <table data-testid="summary">
      <tbody>
        {figures.map((f) => (
          <tr key={f.key}>
            <th>{f.label}</th>
            <td className="num">{num(f.value, f.unit === 'ms' ? '' : f.unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RunSetup({ r }: { r: ReportRun }) {
  const { run } = r;
  const mix = Object.entries(run.workload.mix)
    .map(([e, w]) => `${e} ${w}`)
    .join(', ');
  return (
    <div>
      <table>
        <tbody>
          <tr>
            <th>run</th>
            <td>
              {run.id}
              {run.sample ? ' (sample shipped with ScaleLab)' : ''}
            </td>
          </tr>
          <tr>
            <th>status</th>
            <td>
              {run.status}
              {run.error ? `: ${run.error}` : ''}
            </td>
          </tr>
          <tr>
            <th>started / ended</th>
            <td>
              {when(run.createdAt)} / {when(run.endedAt)}
            </td>
          </tr>
          <tr>
            <th>workload</th>
            <td>
              {run.workload.name}: {run.workload.description}
            </td>
          </tr>
          <tr>
            <th>rate</th>
            <td>{rateProfile(run.workload)}</td>
          </tr>
          <tr>
            <th>mix</th>
            <td>
              {mix}; keys {run.workload.keys.distribution}
              {run.workload.keys.distribution === 'zipf' ? ` (s=${run.workload.keys.zipfExponent})` : ''} over{' '}
              {run.workload.keys.keySpace}
            </td>
          </tr>
          <tr>
            <th>engine</th>
            <td>
              {run.engine === 'k6' ? `k6 ${run.versions.k6 ?? ''}` : 'built-in'}
              {run.engineNote ? ` (${run.engineNote})` : ''}
            </td>
          </tr>
          <tr>
            <th>target</th>
            <td>
              {run.target.entryUrl}
              {run.target.edgeUrl ? `, edge ${run.target.edgeUrl}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      {run.topology ? (
        <>
          <h3>Topology</h3>
          <StackDiagram status={plannedStatus(run.topology)} last={meanPoint(r.timeline)} />
          <p className="hint">
            {run.topology.api.instances} API instance(s) ({run.topology.api.cpus} CPU, {run.topology.api.memoryMb} MB
            each)
            {run.topology.loadBalancer.enabled
              ? `, load balancer (${run.topology.loadBalancer.algorithm})`
              : ', no load balancer'}
            {run.topology.cache.enabled
              ? `, Redis ${run.topology.cache.strategy} (TTL ${run.topology.cache.ttlSeconds} s)`
              : ', no cache'}
            , {run.topology.database.replicas} replica(s)
            {run.topology.database.replicas
              ? ` (apply delay ${run.topology.database.replicaApplyDelayMs} ms, reads ${run.topology.database.readFromReplicas ? 'from replicas' : 'from the primary'})`
              : ''}
            {run.topology.database.pooler === 'pgbouncer'
              ? `, PgBouncer (${run.topology.database.poolSize} server connections a node, ${run.topology.database.poolMode} mode)`
              : ''}
            {run.topology.database.maxConnections
              ? `, primary max_connections ${run.topology.database.maxConnections}`
              : ''}
            {run.topology.edgeCache.enabled ? ', edge cache' : ''}
            {run.topology.rateLimit.enabled ? `, rate limit ${run.topology.rateLimit.requestsPerSecond} req/s` : ''}.
            Node figures are means over the run.
          </p>
        </>
      ) : (
        <p className="hint">No topology was recorded with this run.</p>
      )}
    </div>
  );
}

function Thresholds({ r }: { r: ReportRun }) {
  const list = r.run.summary?.thresholds ?? [];
  if (!list.length) return <p className="hint">The workload sets no thresholds.</p>;
  return (
    <table data-testid="thresholds">
      <thead>
        <tr>
          <th>metric</th>
          <th>threshold</th>
          <th>actual</th>
          <th>result</th>
        </tr>
      </thead>
      <tbody>
        {list.map((t) => (
          <tr key={`${t.metric}-${t.expression}`}>
            <td>{t.metric}</td>
            <td>{t.expression}</td>
            <td className="num">{num(t.actual)}</td>
            <td className={t.passed ? 'pass' : 'fail'}>{t.passed ? 'passed' : 'failed'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SingleRun({ r }: { r: ReportRun }) {
  return (
    <>
      <h2>Summary</h2>
      <Measurement r={r} />
      <FiguresTable figures={r.figures} />
      <h2>Thresholds</h2>
      <Thresholds r={r} />
      <h2>Setup</h2>
      <RunSetup r={r} />
      <h2>Switches and faults</h2>
      {r.events.length ? (
        <MarkerList points={r.timeline} events={r.events} />
      ) : (
        <p className="hint">None during this run.</p>
      )}
      <QueryPlans events={r.events} t0={r.timeline[0]?.t ?? r.run.createdAt} />
      <Drills events={r.events} t0={r.timeline[0]?.t ?? r.run.createdAt} />
      <Resharding events={r.events} t0={r.timeline[0]?.t ?? r.run.createdAt} />
      <Sweep events={r.events} />
      <Autoscaling events={r.events} t0={r.timeline[0]?.t ?? r.run.createdAt} />
      <Deploys events={r.events} t0={r.timeline[0]?.t ?? r.run.createdAt} />
      <Alerts events={r.events} t0={r.timeline[0]?.t ?? r.run.createdAt} />
      <h2>Timeline</h2>
      <LiveCharts points={r.timeline} events={r.events} run={r.run} />
    </>
  );
}

function Comparison({ model }: { model: ReportModel }) {
  const [a, b] = model.runs;
  const cmp = model.comparison!;
  return (
    <>
      <h2>Differences (B against A)</h2>
      <table data-testid="deltas">
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
              <td className="num">{num(d.a)}</td>
              <td className="num">{num(d.b)}</td>
              <td className="num">
                {d.change === null ? '–' : `${d.change > 0 ? '+' : ''}${(d.change * 100).toFixed(0)}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SignificanceTable s={cmp.significance} />
      <h2>Overlaid</h2>
      <ComparisonCharts cmp={cmp} />
      <div className="side-by-side">
        {[a, b].map((r, i) => (
          <section key={i}>
            <h2>
              {i === 0 ? 'A' : 'B'}: {r.run.id}
            </h2>
            <Measurement r={r} />
            <RunSetup r={r} />
            <h3>Thresholds</h3>
            <Thresholds r={r} />
            <h3>Switches and faults</h3>
            {r.events.length ? <MarkerList points={r.timeline} events={r.events} /> : <p className="hint">None.</p>}
          </section>
        ))}
      </div>
    </>
  );
}

export function reportTitle(model: ReportModel): string {
  return model.comparison
    ? `ScaleLab comparison: ${model.runs[0].run.id} vs ${model.runs[1].run.id}`
    : `ScaleLab report: ${model.runs[0].run.id}`;
}

export function ReportDocument({ model }: { model: ReportModel }) {
  return (
    <StaticChartWidth.Provider value={REPORT_CHART_WIDTH}>
      <header>
        <h1>{reportTitle(model)}</h1>
        <div className="meta">
          Made {when(model.generatedAt)} by ScaleLab {model.appVersion} from the run folder{model.comparison ? 's' : ''}{' '}
          alone.
        </div>
      </header>
      {model.comparison ? <Comparison model={model} /> : <SingleRun r={model.runs[0]} />}
    </StaticChartWidth.Provider>
  );
}
