// The Lab view's banners: the stack's state, no Docker engine (with the sample run to replay
// meanwhile), a replay going on, the run's state, and a load generator that is itself the limit.
import { Button, SegmentedControl } from '@radix-ui/themes';
import type { ErrorInfo } from '../../contract/errors.js';
import type { RunRecord, TimelinePoint } from '../../contract/runs.js';
import { predictionLine } from '../../contract/prediction.js';
import { SERIES } from '../../contract/series.js';
import type { StackStatus } from '../../contract/stack.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { SPEEDS, type useReplay } from '../hooks/use-replay.js';

export function Banner({ status }: { status: StackStatus | null }) {
  if (!status) return <div className="banner">reading the stack…</div>;
  if (!status.running)
    return (
      <div className="banner" data-testid="stack-state">
        No stack is running. Pick a stage and bring it up.
      </div>
    );
  return (
    <div className="banner ok" data-testid="stack-state">
      Stack “{status.stack}” is up: <code>{status.entryUrl}</code>
      {status.edgeUrl ? (
        <>
          {' '}
          · edge <code>{status.edgeUrl}</code>
        </>
      ) : null}
      {status.target === 'swarm' && status.nodes && (
        <div data-testid="swarm-nodes">
          on Docker Swarm, {status.nodes.length} node{status.nodes.length === 1 ? '' : 's'}:{' '}
          {status.nodes
            .map(
              (n) =>
                `${n.hostname} (${n.role}, ${n.state}${n.availability === 'active' ? '' : `, ${n.availability}`}): ${n.services.join(', ') || 'no tasks'}`,
            )
            .join(' · ')}
        </div>
      )}
    </div>
  );
}

/** Without a Docker engine: say how to start one, and offer the recorded sample run meanwhile. */
export function NoDocker({ error, onReplay }: { error: ErrorInfo; onReplay: (() => void) | null }) {
  return (
    <div className="banner bad" data-testid="no-docker">
      <ErrorBox error={error} />
      {onReplay && (
        <p>
          Meanwhile, see every view working on a run recorded on a real stack:{' '}
          <Button size="1" onClick={onReplay} data-testid="replay-sample">
            Replay the sample run
          </Button>
        </p>
      )}
    </div>
  );
}

export function ReplayBanner({
  id,
  replay,
  onEnd,
}: {
  id: string;
  replay: ReturnType<typeof useReplay>;
  onEnd: () => void;
}) {
  return (
    <div className="banner ok replay" data-testid="replay">
      Replaying run {id} ({replay.progress}
      {replay.done ? ', done' : ''}) at
      <SegmentedControl.Root
        size="1"
        value={String(replay.speed)}
        onValueChange={(v) => replay.setSpeed(Number(v))}
        aria-label="replay speed"
        data-testid="replay-speed"
      >
        {SPEEDS.map((x) => (
          <SegmentedControl.Item key={x} value={String(x)}>
            {x}x
          </SegmentedControl.Item>
        ))}
      </SegmentedControl.Root>
      <Button size="1" variant="soft" onClick={onEnd} data-testid="replay-end">
        Back to the live lab
      </Button>
      {replay.error && <span className="error">{replay.error}</span>}
    </div>
  );
}

export function RunState({ run }: { run: RunRecord }) {
  return (
    <div
      className={`banner ${run.status === 'failed' || run.status === 'error' ? 'bad' : 'ok'}`}
      data-testid="run-state"
    >
      run {run.id}: {run.status}
      {run.engineNote ? ` (${run.engineNote})` : ''}
      {run.error ? ` — ${run.error}` : ''}
      {run.prediction && <span data-testid="run-prediction"> — {predictionLine(run.prediction, run.summary)}</span>}
      {run.summary?.measurement?.verdict === 'distorted' && (
        <strong data-testid="run-distorted">
          {' '}
          — measurement distorted: {run.summary.measurement.reasons.join('; ')}
        </strong>
      )}
    </div>
  );
}

/** The figures are about the generator, not the stack: it is behind its schedule. */
export function GeneratorWarning({ last }: { last: TimelinePoint | undefined }) {
  return (
    <div className="banner bad" data-testid="generator-warning">
      The load generator itself is the bottleneck: {String(last?.v[SERIES.genLateMs] ?? 0)} ms behind
      {last?.v[SERIES.genWaiting] ? `, ${last.v[SERIES.genWaiting]} requests waiting for a connection` : ''}. These
      figures are about it, not the stack.
    </div>
  );
}
