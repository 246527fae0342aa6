// The main view: the stack (diagram, controls, progress) beside the run (controls, live charts).
// A switch or fault made here lands on the running run's timeline as a marker.
import type { StackStatus } from '../../contract/stack.js';
import { Figures } from '../components/Figures.js';
import { LiveCharts } from '../components/LiveCharts.js';
import { ProgressList } from '../components/ProgressList.js';
import { RunControls } from '../components/RunControls.js';
import { StackDiagram } from '../components/StackDiagram.js';
import { TopologyControls } from '../components/TopologyControls.js';
import { useLab } from '../hooks/use-lab.js';
import { useRun } from '../hooks/use-run.js';
import { useStack } from '../hooks/use-stack.js';

function Banner({ status }: { status: StackStatus | null }) {
  if (!status) return <div className="banner">reading the stack…</div>;
  if (!status.running) return <div className="banner" data-testid="stack-state">No stack is running. Pick a stage and bring it up.</div>;
  return <div className="banner ok" data-testid="stack-state">Stack “{status.stack}” is up: <code>{status.entryUrl}</code>{status.edgeUrl ? <> · edge <code>{status.edgeUrl}</code></> : null}</div>;
}

export function LabPage() {
  const lab = useLab();
  const stack = useStack();
  const run = useRun();
  const last = run.points[run.points.length - 1];
  const saturated = last?.v['gen.saturated'] === 1;
  return (
    <div className="lab">
      <section className="stack-side">
        <Banner status={stack.status} />
        {stack.error && <pre className="error" data-testid="stack-error">{stack.error}</pre>}
        <ProgressList progress={stack.progress} />
        {stack.status?.running && (
          <StackDiagram status={stack.status} last={last} disabled={!!stack.busy}
            onFault={(service, kind) => void stack.act('fault', () => lab.api.stack.fault({ service, kind }))} />
        )}
        <TopologyControls current={stack.status?.topology ?? null} running={!!stack.status?.running} busy={stack.busy}
          onUp={(t) => void stack.act('up', () => lab.api.stack.up({ topology: t }))}
          onApply={(t) => void stack.act('apply', () => lab.api.stack.apply({ topology: t }))}
          onDown={() => void stack.act('down', () => lab.api.stack.down())} />
      </section>
      <section className="run-side">
        <RunControls running={run.running} onStop={() => void run.stop()} onRate={(r) => void run.setRate(r)}
          onStart={(workload, engine, rate) => void run.start({ workload, engine, ...(rate ? { rate } : {}) })} />
        {run.error && <pre className="error" data-testid="run-error">{run.error}</pre>}
        {run.run && (
          <div className={`banner ${run.run.status === 'failed' || run.run.status === 'error' ? 'bad' : 'ok'}`} data-testid="run-state">
            run {run.run.id}: {run.run.status}{run.run.engineNote ? ` (${run.run.engineNote})` : ''}{run.run.error ? ` — ${run.run.error}` : ''}
          </div>
        )}
        {saturated && <div className="banner bad" data-testid="generator-warning">The load generator itself is the bottleneck: {String(last?.v['gen.late_ms'])} ms behind. These figures are about it, not the stack.</div>}
        <Figures last={last} />
        <LiveCharts points={run.points} events={run.events} run={run.run} />
      </section>
    </div>
  );
}
