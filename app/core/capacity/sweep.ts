// A capacity sweep on the running stack: one run of the workload whose arrival rate is raised step
// by step (sweep-plan.ts decides each), every step judged on the seconds the run recorded for it,
// until the objective or the error budget breaks or the generator falls behind. The run keeps the
// whole hockey stick (its timeline) and each rate change (its events).
import type { SweepMarker, SweepRequest, SweepResult } from '../../contract/capacity.js';
import type { LoadApi, RunsApi } from '../../contract/lab-api.js';
import { LabError } from '../runtime/errors.js';
import { checkSweepRequest } from './sweep-request.js';
import { drained, judgeStep, knee, nextRate, parseObjective, stepLimit, type SweepPlan } from './sweep-plan.js';

export const SWEEP_DEFAULTS = { maxErrors: 0.01, from: 50, factor: 1.5, stepSeconds: 20, refine: 2, maxSteps: 12 };

const POLL_MS = 250;
/** Seconds at the first rate after a step that broke, before the next: at least the first, until
 *  the backlog is gone (sweep-plan.ts drained), at most the second. A CI run's fixed 3 s left a
 *  400/s step's queue behind, and the 300/s step after it started with the generator's
 *  connections full: it looked like the generator's limit, not the stack's. */
const DRAIN_SECONDS = 3;
const MAX_DRAIN_SECONDS = 15;

export async function runSweep(
  api: { load: Pick<LoadApi, 'start' | 'setRate' | 'stop'>; runs: Pick<RunsApi, 'open'> },
  req: SweepRequest,
  say: (message: string) => void,
  /** Records a step, and the end, in the sweep's run (its events: the report reads them). */
  mark: (label: string, marker: SweepMarker) => void = () => undefined,
): Promise<SweepResult> {
  const objective = parseObjective(checkSweepRequest(req).objective);
  // Options left out, or given as undefined (the command line's unset flags), take the defaults.
  const given = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined));
  const o = { ...SWEEP_DEFAULTS, ...given } as typeof SWEEP_DEFAULTS & SweepRequest;
  const plan: SweepPlan = { from: o.from, factor: o.factor, refine: o.refine, maxSteps: o.maxSteps };
  // Long enough for every step the plan may take, with a margin; stopped once the sweep is done.
  const run = await api.load.start({
    workload: o.workload,
    rate: o.from,
    durationSeconds: (o.stepSeconds + DRAIN_SECONDS) * o.maxSteps + 30,
    ...(req.prediction ? { prediction: req.prediction } : {}),
  });
  const steps: SweepResult['steps'] = [];
  try {
    let startSecond = 0;
    for (let rate = nextRate(steps, plan); rate !== null; rate = nextRate(steps, plan)) {
      if (steps.length && stepLimit(steps.at(-1)!) !== null) {
        // A step that broke leaves a backlog queued in the stack: drained at the first rate, unjudged,
        // so the next step is measured on its own load.
        await api.load.setRate({ rate: o.from });
        const from = (await api.runs.open({ id: run.id })).timeline.length;
        say(`  draining at ${o.from} requests/s until the backlog is gone (${DRAIN_SECONDS}-${MAX_DRAIN_SECONDS} s)`);
        let n = DRAIN_SECONDS;
        let points = await secondsOf(api.runs, run.id, from, n);
        while (n < MAX_DRAIN_SECONDS && !drained(points.at(-1)!, objective))
          points = await secondsOf(api.runs, run.id, from, ++n);
      }
      if (steps.length) {
        await api.load.setRate({ rate });
        startSecond = (await api.runs.open({ id: run.id })).timeline.length;
      }
      say(`step ${steps.length + 1}: ${rate} requests/s for ${o.stepSeconds} s`);
      const points = await secondsOf(api.runs, run.id, startSecond, o.stepSeconds);
      const step = judgeStep(points, rate, objective, o.maxErrors, startSecond);
      steps.push(step);
      mark(`sweep: ${rate}/s ${stepLimit(step) === null ? 'held' : `broke (${stepLimit(step)})`}`, {
        phase: 'step',
        step,
      });
      say(
        `  ${step.achieved.toFixed(0)}/s completed, ${req.objective.replace(/[<>=].*/, '')} ${step.latency?.toFixed(1) ?? '–'} ms, errors ${(step.errorRate * 100).toFixed(2)}%` +
          (step.generatorLimited
            ? ' — the generator fell behind'
            : step.objectiveMet && step.errorsMet
              ? ' — held'
              : ' — broke'),
      );
    }
    const end = knee(steps);
    mark(`sweep: knee ${end.knee ? `${end.knee.rate}/s` : 'none'} (${end.limit})`, {
      phase: 'done',
      objective: req.objective,
      maxErrors: o.maxErrors,
      knee: end.knee?.rate ?? null,
      limit: end.limit,
    });
    return { runId: run.id, objective: req.objective, maxErrors: o.maxErrors, steps, ...end };
  } finally {
    await api.load.stop().catch(() => null);
  }
}

/** The run's seconds from `from`, once it has `count` of them (or it ended: an error then). */
async function secondsOf(runs: Pick<RunsApi, 'open'>, id: string, from: number, count: number) {
  const deadline = Date.now() + (count + 30) * 1000;
  for (;;) {
    const d = await runs.open({ id });
    if (d.timeline.length >= from + count) return d.timeline.slice(from, from + count);
    if (d.run.status !== 'running')
      throw new LabError(
        `the sweep's run ${id} ended (${d.run.status}${d.run.error ? `: ${d.run.error}` : ''}) before its step did`,
        'NO_RUN',
      );
    if (Date.now() > deadline) throw new LabError(`the sweep's run ${id} stopped recording seconds`, 'NO_RUN');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
