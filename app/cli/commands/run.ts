import { Option, type Command } from 'commander';
import { KEY_DISTRIBUTIONS, MAX_GENERATORS, type KeyDistribution } from '../../contract/load.js';
import { LabError } from '../../contract/errors.js';
import type { RunRecord } from '../../contract/runs.js';
import {
  COMPARED_FIGURES,
  PREDICTED_METRICS,
  type Choice,
  type PredictedMetric,
  type Prediction,
} from '../../contract/prediction.js';
import type { ComparedMetric } from '../../contract/significance.js';
import type { CliContext } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { liveLine, parseDuration, summaryTable } from '../run-view.js';

interface RunOpts {
  workload: string;
  engine: 'builtin' | 'k6';
  rate?: string;
  duration?: string;
  keys?: KeyDistribution;
  script?: string;
  generators?: string;
  predict?: string;
  json?: boolean;
}

function parseRate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate < 0)
    throw new LabError(`--rate ${text}: a number of requests per second`, 'BAD_INPUT');
  return rate;
}

/** The room's prediction before a run (workshop mode): "p95=80" (a number), or "p95=lower" (lower,
 *  same or higher than the last run; "p95=lower@RUN" against another). A sweep predicts its knee. */
export function parsePrediction(text: string | undefined, kind: 'run' | 'sweep' = 'run'): Prediction | undefined {
  if (text === undefined) return undefined;
  const numbers = PREDICTED_METRICS.filter((m) => (kind === 'sweep') === (m === 'knee'));
  const usage =
    kind === 'sweep'
      ? 'a number for the knee, e.g. knee=150'
      : `a figure and a number, e.g. p95=80 (figures: ${numbers.join(', ')}), or lower, same or higher than the last run, e.g. p95=lower (figures: ${COMPARED_FIGURES.join(', ')}; "p95=lower@RUN" against another run)`;
  const m = /^([a-z_0-9]+)=(?:(\d+(?:\.\d+)?)|(lower|same|higher)(?:@([\w-]+))?)$/.exec(text.trim());
  if (m?.[2] !== undefined && (numbers as readonly string[]).includes(m[1]!))
    return { metric: m[1] as PredictedMetric, value: Number(m[2]) };
  if (kind === 'run' && m?.[3] && (COMPARED_FIGURES as readonly string[]).includes(m[1]!))
    return { versus: m[1] as ComparedMetric, choice: m[3] as Choice, against: m[4] ?? 'last' };
  throw new LabError(`--predict ${text}: ${usage}`, 'BAD_INPUT');
}

function parseGenerators(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_GENERATORS)
    throw new LabError(`--generators ${text}: a whole number from 1 to ${MAX_GENERATORS}`, 'BAD_INPUT');
  return n;
}

function durationOf(text: string | undefined): number | undefined {
  try {
    return text === undefined ? undefined : parseDuration(text);
  } catch (err) {
    throw new LabError((err as Error).message, 'BAD_INPUT');
  }
}

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('drive load at the running stack and measure it; exits 99 when a threshold fails')
    .requiredOption(
      '--workload <name|file>',
      'read-heavy, write-heavy, mixed, cpu-bound, sharded, sessions, edge-prices, cache-prices, cache-stampede, hot-and-scan, orders, noisy-client, spike, soak, stress, or a JSON file',
    )
    .addOption(new Option('--engine <engine>', 'load engine').choices(['builtin', 'k6']).default('builtin'))
    .option('--rate <n>', "a constant arrival rate (requests/s) instead of the workload's profile")
    .option('--duration <d>', "how long: 30s, 2m, 1h (caps the workload's profile)")
    .addOption(
      new Option('--keys <distribution>', "how requests pick their product, instead of the workload's own").choices([
        ...KEY_DISTRIBUTIONS,
      ]),
    )
    .option('--script <file>', 'run your own k6 script instead (needs k6; the workload still names the run)')
    .option(
      '--generators <n>',
      `k6 only: split the test over n k6 processes by execution segments, their figures merged (1-${MAX_GENERATORS})`,
    )
    .option(
      '--predict <figure=value>',
      "the room's prediction before the run, shown against the measurement: p95=80, or p95=lower (same, higher) than the last run",
    )
    .option('--json', 'print the run record (id, folder, summary) as one JSON document')
    .action(async (o: RunOpts) => {
      const rate = parseRate(o.rate);
      const prediction = parsePrediction(o.predict);
      const durationSeconds = durationOf(o.duration);
      const generators = parseGenerators(o.generators);
      const lab = await ctx.lab();
      const started = Date.now();
      const tty = ctx.err.isTTY;
      const offPoint = lab.on('run.point', (p) => {
        const second = Math.round((p.t - started) / 1000);
        if (tty) ctx.err.write(`\r\x1b[2K${liveLine(p, second)}`);
        else if (second % 5 === 0) ctx.err.write(`${liveLine(p, second)}\n`);
      });
      // Markers as they happen (switches, faults, the autoscaler's decisions), each on a line of its own.
      const offEvent = lab.on('run.event', (e) => {
        const second = Math.round((e.t - started) / 1000);
        const text = e.label.startsWith(e.kind) ? e.label : `${e.kind}: ${e.label}`;
        ctx.err.write(`${tty ? '\r\x1b[2K' : ''}[${second} s] ${text}\n`);
      });
      // Ends are caught from before the start: a run never ends unseen.
      const ended = new Map<string, RunRecord>();
      let waiting: ((r: RunRecord) => void) | null = null;
      let id = '';
      const offEnd = lab.on('run.end', (r) => {
        ended.set(r.id, r);
        if (r.id === id) waiting?.(r);
      });
      const stop = () => {
        ctx.err.write('\nstopping...\n');
        void lab.api.load.stop();
      };
      process.once('SIGINT', stop);
      try {
        const first = await lab.api.load.start({
          workload: o.workload,
          engine: o.script ? 'k6' : o.engine,
          rate,
          durationSeconds,
          keys: o.keys,
          script: o.script,
          generators,
          prediction,
        });
        id = first.id;
        if (first.engineNote) ctx.err.write(`note: ${first.engineNote}\n`);
        ctx.err.write(
          `run ${first.id} started (${first.workload.name} on ${first.engine}, target ${first.target.entryUrl})\n`,
        );
        await (ended.get(id) ?? new Promise<RunRecord>((r) => (waiting = r)));
      } finally {
        process.off('SIGINT', stop);
        offPoint();
        offEvent();
        offEnd();
      }
      if (tty) ctx.err.write('\n');
      const { run, dir } = await lab.api.runs.open({ id });
      ctx.print(o.json ? JSON.stringify({ ...run, folder: dir }, null, 2) : `${summaryTable(run)}\nfolder: ${dir}`);
      const passed = run.status === 'passed' || run.status === 'stopped';
      ctx.setExitCode(passed ? EXIT.ok : run.status === 'failed' ? EXIT.thresholdsFailed : EXIT.failure);
    });
}
