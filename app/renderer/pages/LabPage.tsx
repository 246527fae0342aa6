// The main view: the stack (diagram, controls, progress) beside the run (controls, live charts).
// A switch or fault made here lands on the running run's timeline as a marker.
import { Button, Callout } from '@radix-ui/themes';
import { Activity } from 'lucide-react';
import { ErrorBox } from '../components/ErrorBox.js';
import { FirstSteps } from '../components/FirstSteps.js';
import { SERIES } from '../../contract/series.js';
import type { SweepRequest } from '../../contract/capacity.js';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RebalanceFigures } from '../../contract/stack.js';
import type { StartLoadRequest } from '../../contract/lab-api.js';
import type { PresetInfo, Topology } from '../../contract/topology.js';
import { CoursePanel } from '../course/CoursePanel.js';
import { useCourse } from '../course/use-course.js';
import { useShortcuts } from '../hooks/use-shortcuts.js';
import { useReplay } from '../hooks/use-replay.js';
import { Sweep } from '../report/Sweep.js';
import { Banner, GeneratorWarning, NoDocker, ReplayBanner, RunState } from './lab-banners.js';
import type { Lesson } from '../../contract/course.js';
import { Figures } from '../components/Figures.js';
import { LiveCharts } from '../components/LiveCharts.js';
import { MarkerList } from '../components/MarkerList.js';
import { ProgressList } from '../components/ProgressList.js';
import { RunControls } from '../components/RunControls.js';
import { StackGraph } from '../components/stack-graph/StackGraph.js';
import { StackExportMenu } from '../components/ExportMenu.js';
import { TopologyControls } from '../components/TopologyControls.js';
import { DatabaseCards } from '../database/DatabaseCards.js';
import { MonitoringCard } from '../monitoring/MonitoringCard.js';
import { recordedStatus } from '../report/planned-services.js';
import { useLab } from '../hooks/use-lab.js';
import { useLabSession, useRunPoints } from '../hooks/use-lab-session.js';
import { useLoaded } from '../hooks/use-loaded.js';

/** The run a lesson starts: its workload at its constant rate, or at the workload's own profile. */
const lessonLoad = (l: Lesson) => ({ workload: l.workload, ...(l.rate === null ? {} : { rate: l.rate }) });

export function LabPage({
  workshop,
  replayId,
  onEndReplay,
  onReplay,
}: {
  workshop: boolean;
  replayId: string | null;
  onEndReplay: () => void;
  onReplay: (id: string) => void;
}) {
  const lab = useLab();
  const { stack, run } = useLabSession();
  const live = useRunPoints();
  const replay = useReplay(replayId);
  const course = useCourse();
  const [presets, setPresets] = useState<PresetInfo[]>([]);
  const [logs, setLogs] = useState<{ service: string; text: string } | null>(null);
  const showLogs = useCallback(
    (service: string) => {
      lab.api.stack.logs({ service, tail: 40 }).then(
        (text) => setLogs({ service, text: text || '(no output)' }),
        (e: Error) => setLogs({ service, text: e.message }),
      );
    },
    [lab],
  );
  useLoaded(() => lab.api.stack.presets(), [lab], setPresets);
  const points = replayId ? replay.points : live.points;
  const events = replayId ? replay.events : live.events;
  const last = points[points.length - 1];
  const saturated = last?.v[SERIES.genSaturated] === 1;
  const recordedTopology = replay.data?.run.topology ?? null;
  // A replay's diagram follows the run: switches and faults so far change it as they did then.
  const replayStatus = useMemo(
    () => (replayId && recordedTopology ? recordedStatus(recordedTopology, events) : null),
    [replayId, recordedTopology, events],
  );
  const current = stack.status?.topology ?? null;
  // Before anything ran: teach, instead of a form beside twelve empty charts.
  const nothingYet = !replayId && stack.status !== null && !stack.status.running && !run.run && points.length === 0;
  const [sampleId, setSampleId] = useState<string | null>(null);
  useEffect(() => {
    void lab.api.runs.list().then((runs) => setSampleId(runs.find((r) => r.sample)?.id ?? null));
  }, [lab]);

  // Stable callbacks: the controls are memoized and must not re-render on every point.
  const { act } = stack;
  const onUp = useCallback((t: Topology) => void act('up', () => lab.api.stack.up({ topology: t })), [act, lab]);
  // What the last re-sharding moved (an apply of database.shards or sharding), for the shard card.
  const [rebalance, setRebalance] = useState<RebalanceFigures | null>(null);
  const onApply = useCallback(
    (t: Topology) =>
      void act('apply', async () => {
        const res = await lab.api.stack.apply({ topology: t });
        if (res.rebalance) setRebalance(res.rebalance);
      }),
    [act, lab],
  );
  const onDown = useCallback(() => void act('down', () => lab.api.stack.down()), [act, lab]);
  const bringUpStage1 = useCallback(
    () => void act('up', () => lab.api.stack.up({ preset: 'single-server' })),
    [act, lab],
  );
  const { start: startRun, stop: stopRun, setRate } = run;
  const onStart = useCallback((req: StartLoadRequest) => void startRun(req), [startRun]);
  const onStop = useCallback(() => void stopRun(), [stopRun]);
  const { sweep } = run;
  const onSweep = useCallback(
    (workload: string, objective: string, stepSeconds: number, prediction?: SweepRequest['prediction']) =>
      void sweep({ workload, objective, stepSeconds, ...(prediction ? { prediction } : {}) }),
    [sweep],
  );
  const onRate = useCallback((r: number) => void setRate(r), [setRate]);

  /** A topology change: live apply on a running stack, or bring it up. */
  const change = useCallback(
    (t: Topology) =>
      stack.act(stack.status?.running ? 'apply' : 'up', () =>
        stack.status?.running ? lab.api.stack.apply({ topology: t }) : lab.api.stack.up({ topology: t }),
      ),
    [lab, stack],
  );

  /** The lesson's preset on the stack (live where it runs), then its workload: true when both are. */
  const setUpLesson = useCallback(
    async (lesson: Lesson) => {
      const preset = presets.find((p) => p.name === lesson.preset);
      if (!preset) return false;
      const ok = await change({ ...preset.topology, ports: current?.ports ?? preset.topology.ports });
      if (ok === false) return false;
      if (!run.running) await run.start(lessonLoad(lesson));
      return true;
    },
    [presets, change, current, run],
  );

  const lesson = course.open?.lesson;
  const { go } = course;
  const shortcuts = useMemo(
    (): Record<string, () => void> =>
      workshop
        ? {
            n: () => go(1),
            p: () => go(-1),
            s: () => void (run.running ? run.stop() : lesson && run.start(lessonLoad(lesson))),
            c: () => {
              if (current) void change({ ...current, cache: { ...current.cache, enabled: !current.cache.enabled } });
            },
          }
        : {},
    [workshop, run, lesson, go, current, change],
  );
  useShortcuts(shortcuts);

  return (
    <div className="lab-page">
      {workshop && !replayId && (
        <CoursePanel
          course={course}
          points={live.points}
          topology={current}
          running={run.running}
          busy={!!stack.busy}
          onSetUp={setUpLesson}
        />
      )}
      {replayId && <ReplayBanner id={replayId} replay={replay} onEnd={onEndReplay} />}
      <div className="lab">
        <section className="stack-side">
          {!replayId && <Banner status={stack.status} />}
          {stack.error &&
            !replayId &&
            (stack.error.code === 'DOCKER_UNAVAILABLE' ? (
              <NoDocker error={stack.error} onReplay={sampleId ? () => onReplay(sampleId) : null} />
            ) : (
              <ErrorBox error={stack.error} testId="stack-error" />
            ))}
          {!replayId && <ProgressList progress={stack.progress} busy={stack.busy} />}
          {!replayId && stack.status?.running && (
            <StackGraph
              status={stack.status}
              points={live.points}
              disabled={!!stack.busy}
              onFault={(service, kind) => void stack.act('fault', () => lab.api.stack.fault({ service, kind }))}
              onLogs={showLogs}
            />
          )}
          {logs && !replayId && (
            <div className="panel" data-testid="logs">
              <strong>last log lines of {logs.service}</strong>{' '}
              <Button size="1" variant="ghost" onClick={() => setLogs(null)}>
                Close
              </Button>
              <pre className="logs">{logs.text}</pre>
            </div>
          )}
          {replayId && replay.data && (
            <div className="panel" data-testid="replay-run">
              workload {replay.data.run.workload.name} on {replay.data.run.engine}, status {replay.data.run.status}
            </div>
          )}
          {replayId && replayStatus && <StackGraph status={replayStatus} points={replay.points} />}
          {!replayId && (
            <TopologyControls
              current={current}
              running={!!stack.status?.running}
              busy={stack.busy}
              onUp={onUp}
              onApply={onApply}
              onDown={onDown}
            />
          )}
          {!replayId && stack.status?.running && (
            <DatabaseCards topology={current} last={points.at(-1)} rebalance={rebalance} />
          )}
          {!replayId && stack.status?.running && current?.monitoring.enabled && (
            <MonitoringCard status={stack.status} />
          )}
          {!replayId && <StackExportMenu topology={current} />}
        </section>
        <section className="run-side">
          {!replayId && (
            <RunControls running={run.running} onStop={onStop} onRate={onRate} onStart={onStart} onSweep={onSweep} />
          )}
          {run.error && !replayId && (
            <pre className="error" data-testid="run-error">
              {run.error}
            </pre>
          )}
          {run.run && !replayId && <RunState run={run.run} />}
          {saturated && <GeneratorWarning last={last} />}
          {nothingYet ? (
            <FirstSteps
              busy={!!stack.busy}
              onBringUpStage1={bringUpStage1}
              onReplaySample={sampleId ? () => onReplay(sampleId) : null}
            />
          ) : points.length === 0 ? (
            <Callout.Root size="2" color="gray" data-testid="no-points">
              <Callout.Icon>
                <Activity size={18} />
              </Callout.Icon>
              <Callout.Text>
                {run.running
                  ? 'Load is starting: the charts fill in a point a second.'
                  : 'Start load (above) and the charts fill in, a point a second: throughput, latency, errors, cache hit ratio, replication lag, and who served what.'}
              </Callout.Text>
            </Callout.Root>
          ) : (
            <>
              <Figures last={last} />
              <Sweep events={events} />
              <MarkerList points={points} events={events} />
              <LiveCharts
                points={points}
                events={events}
                run={replayId ? (replay.data?.run ?? null) : run.run}
                queries={replayId ? undefined : current?.monitoring.queries}
                arrangeable
              />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
