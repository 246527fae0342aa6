// `scalelab`: the command line over the same Lab as the console.
//   scalelab up --preset full | --topology FILE [--set api.instances=5]
//   scalelab status [--json]   scalelab apply ...   scalelab fault kill api-2   scalelab down
import { Argument, Command, CommanderError, Option } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TopologyRequest } from '../contract/lab-api.js';
import type { StackStatus } from '../contract/stack.js';
import { FAULT_KINDS, type FaultKind } from '../contract/stack.js';
import { createLab, type Lab } from '../core/create-lab.js';
import { LabError } from '../core/runtime/errors.js';
import { presetNames } from '../core/topology/presets.js';
import { REPORT_FORMATS, STACK_EXPORT_KINDS, type ReportFormat, type StackExportKind } from '../contract/reports.js';
import { resolveTopology } from '../core/create-lab.js';
import { stackFiles } from '../core/reports/reports-service.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { createProgressView } from './progress-view.js';
import { parseSetValues } from './set-values.js';
import { liveLine, parseDuration, summaryTable } from './run-view.js';

interface TopologyOpts {
  preset?: string;
  topology?: string;
  set?: string[];
}

const collect = (v: string, acc: string[]) => [...acc, v];

function readTopologyFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError(`cannot read topology file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`, 'BAD_INPUT');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LabError(`topology file ${file} is not valid JSON: ${(err as Error).message}`, 'BAD_INPUT');
  }
}

/** preset / file / --set, applied in that order over `base` (defaults, or the running topology for apply). */
function topologyRequest(o: TopologyOpts, base?: object): TopologyRequest {
  const fromFile = o.topology ? readTopologyFile(o.topology) : undefined;
  const sets = parseSetValues(o.set ?? []);
  const start = (fromFile ?? (o.preset ? undefined : base) ?? {}) as Record<string, Record<string, unknown>>;
  if (typeof start !== 'object' || Array.isArray(start))
    return { preset: o.preset, topology: start as TopologyRequest['topology'] };
  const merged: Record<string, Record<string, unknown>> = { ...start };
  for (const [section, fields] of Object.entries(sets)) merged[section] = { ...(merged[section] ?? {}), ...fields };
  return { preset: o.preset, topology: merged as TopologyRequest['topology'] };
}

function printStatus(st: StackStatus): void {
  if (!st.services.length) {
    console.log(`stack "${st.stack}": not running`);
    return;
  }
  const rows = st.services.map((s) => [
    s.name,
    s.state,
    s.health,
    Object.entries(s.ports)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-',
  ]);
  const head = ['SERVICE', 'STATE', 'HEALTH', 'ADDRESS'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows])
    console.log(
      r
        .map((c, i) => c.padEnd(w[i]))
        .join('  ')
        .trimEnd(),
    );
  console.log('');
  if (st.entryUrl) console.log(`entry        ${st.entryUrl}`);
  if (st.edgeUrl) console.log(`edge cache   ${st.edgeUrl}`);
  if (st.statsUrl) console.log(`lb stats     ${st.statsUrl}`);
}

export function buildProgram(makeLab: (stack?: string) => Lab): Command {
  const program = new Command('scalelab')
    .description('Bring up a real scaling stack on Docker, change it live, break it, tear it down.')
    .option('--stack <name>', 'stack name (labels and container names); default $SCALELAB_STACK or "lab"')
    .showHelpAfterError()
    .exitOverride();
  const lab = () => makeLab(program.opts().stack);
  const topoOptions = (cmd: Command) =>
    cmd
      .addOption(new Option('--preset <name>', 'a stage preset').choices(presetNames()))
      .option('--topology <file>', 'a topology JSON file')
      .option('--set <field=value>', 'override one field, e.g. api.instances=5 (repeatable)', collect, []);

  topoOptions(program.command('up').description('bring the stack up (or adopt and converge the running one)'))
    .option('--json', 'print the status as JSON when done')
    .option('--keep-on-failure', 'leave what was started when bringing up fails (for debugging)')
    .action(async (o: TopologyOpts & { json?: boolean; keepOnFailure?: boolean }) => {
      const l = lab();
      const req = topologyRequest(o);
      await l.api.stack.validate(req); // refuse bad input before touching Docker
      const view = createProgressView();
      l.on('stack.progress', view.onProgress);
      try {
        const st = await l.api.stack.up(req);
        view.done();
        if (o.json) console.log(JSON.stringify(st, null, 2));
        else printStatus(st);
      } catch (err) {
        view.done();
        if (
          !o.keepOnFailure &&
          (err as LabError).code !== 'DOCKER_UNAVAILABLE' &&
          (err as LabError).code !== 'PORT_IN_USE'
        ) {
          process.stderr.write('bringing up failed; removing what was started (use --keep-on-failure to keep it)\n');
          await l.api.stack.down().catch(() => undefined);
        }
        throw err;
      }
    });

  program
    .command('status')
    .description('services, state, health and addresses')
    .option('--json', 'one JSON document (entryUrl names the load balancer on the host)')
    .action(async (o: { json?: boolean }) => {
      const st = await lab().api.stack.status();
      if (o.json) console.log(JSON.stringify(st, null, 2));
      else printStatus(st);
      if (!st.running) process.exitCode = EXIT.notRunning;
    });

  topoOptions(
    program.command('apply').description('change the running stack: live where possible, else restart one service'),
  )
    .option('--dry-run', 'only show what would change')
    .option('--json', 'print the result as JSON')
    .action(async (o: TopologyOpts & { dryRun?: boolean; json?: boolean }) => {
      const l = lab();
      const current = (await l.api.stack.status()).topology;
      if (!current)
        throw new LabError(
          `stack "${l.config.stack}" is not running`,
          'STACK_NOT_RUNNING',
          'bring it up first: scalelab up --preset full',
        );
      const req = topologyRequest(o, current);
      const changes = await l.api.stack.preview(req);
      if (o.dryRun) {
        if (o.json) console.log(JSON.stringify(changes, null, 2));
        else
          for (const c of changes)
            console.log(
              `${c.kind.padEnd(7)} ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}  (${c.how})`,
            );
        return;
      }
      const view = createProgressView();
      l.on('stack.progress', view.onProgress);
      const res = await l.api.stack.apply(req);
      view.done();
      if (o.json) {
        console.log(JSON.stringify(res, null, 2));
        return;
      }
      if (!res.changes.length) console.log('nothing to change');
      for (const c of res.changes)
        console.log(`${c.kind.padEnd(7)} ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}  (${c.how})`);
    });

  program
    .command('fault')
    .description(`inject a fault into one service: ${FAULT_KINDS.join(', ')}`)
    .argument('<kind>', FAULT_KINDS.join('|'))
    .argument('<service>', 'e.g. api-2, cache, db-replica-1, db-primary')
    .action(async (kind: string, service: string) => {
      if (!FAULT_KINDS.includes(kind as FaultKind))
        throw new LabError(`unknown fault "${kind}"`, 'BAD_INPUT', `one of ${FAULT_KINDS.join(', ')}`);
      await lab().api.stack.fault({ service, kind: kind as FaultKind });
      console.log(`${kind} ${service}: done`);
    });

  program
    .command('logs')
    .description("a service's last log lines")
    .argument('<service>')
    .option('--tail <n>', 'how many lines', '100')
    .action(async (service: string, o: { tail: string }) => {
      console.log(await lab().api.stack.logs({ service, tail: Number(o.tail) }));
    });

  program
    .command('replication')
    .description('replication lag per replica')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const lag = await lab().api.stack.replication();
      if (o.json) {
        console.log(JSON.stringify(lag, null, 2));
        return;
      }
      if (!lag.length) console.log('no replicas');
      for (const r of lag) {
        const secs = r.idle ? 'idle' : r.lagSeconds === null ? 'n/a' : `${r.lagSeconds.toFixed(3)} s`;
        console.log(
          `${r.replica.padEnd(14)} ${secs.padEnd(10)} ${r.lagBytes ?? 'n/a'} bytes  ${r.state ?? 'not streaming'}${r.replayPaused ? '  (replay paused)' : ''}`,
        );
      }
    });

  program
    .command('run')
    .description('drive load at the running stack and measure it; exits 99 when a threshold fails')
    .requiredOption('--workload <name|file>', 'read-heavy, write-heavy, mixed, spike, soak, stress, or a JSON file')
    .addOption(new Option('--engine <engine>', 'load engine').choices(['builtin', 'k6']).default('builtin'))
    .option('--rate <n>', "a constant arrival rate (requests/s) instead of the workload's profile")
    .option('--duration <d>', "how long: 30s, 2m, 1h (caps the workload's profile)")
    .option('--script <file>', 'run your own k6 script instead (needs k6; the workload still names the run)')
    .option('--json', 'print the run record (id, folder, summary) as one JSON document')
    .action(
      async (o: {
        workload: string;
        engine: 'builtin' | 'k6';
        rate?: string;
        duration?: string;
        script?: string;
        json?: boolean;
      }) => {
        const l = lab();
        const rate = o.rate === undefined ? undefined : Number(o.rate);
        if (rate !== undefined && (!Number.isFinite(rate) || rate < 0))
          throw new LabError(`--rate ${o.rate}: a number of requests per second`, 'BAD_INPUT');
        let durationSeconds: number | undefined;
        try {
          durationSeconds = o.duration === undefined ? undefined : parseDuration(o.duration);
        } catch (err) {
          throw new LabError((err as Error).message, 'BAD_INPUT');
        }
        const started = Date.now();
        const tty = process.stderr.isTTY;
        l.on('run.point', (p) => {
          const second = Math.round((p.t - started) / 1000);
          if (tty) process.stderr.write(`\r\x1b[2K${liveLine(p, second)}`);
          else if (second % 5 === 0) process.stderr.write(`${liveLine(p, second)}\n`);
        });
        const first = await l.api.load.start({
          workload: o.workload,
          engine: o.script ? 'k6' : o.engine,
          rate,
          durationSeconds,
          script: o.script,
        });
        if (first.engineNote) process.stderr.write(`note: ${first.engineNote}\n`);
        process.stderr.write(
          `run ${first.id} started (${first.workload.name} on ${first.engine}, target ${first.target.entryUrl})\n`,
        );
        const stop = () => {
          process.stderr.write('\nstopping...\n');
          void l.api.load.stop();
        };
        process.once('SIGINT', stop);
        await l.runDone();
        process.off('SIGINT', stop);
        if (tty) process.stderr.write('\n');
        const { run, dir } = await l.api.runs.open({ id: first.id });
        if (o.json) console.log(JSON.stringify({ ...run, folder: dir }, null, 2));
        else console.log(`${summaryTable(run)}\nfolder: ${dir}`);
        process.exitCode =
          run.status === 'passed' || run.status === 'stopped'
            ? EXIT.ok
            : run.status === 'failed'
              ? EXIT.thresholdsFailed
              : EXIT.failure;
      },
    );

  program
    .command('runs')
    .description('stored runs: list, or show / delete / compare by id')
    .argument('[action]', 'show | delete | compare')
    .argument('[ids...]', 'run ids (or "last")')
    .option('--json')
    .action(async (action: string | undefined, ids: string[], o: { json?: boolean }) => {
      const l = lab();
      const list = await l.api.runs.list();
      const resolve = (id: string) => (id === 'last' ? (list[0]?.id ?? id) : id);
      if (!action) {
        if (o.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        if (!list.length) console.log('no runs yet: `scalelab run --workload read-heavy`');
        for (const r of list)
          console.log(
            `${r.id}  ${r.status.padEnd(8)} ${r.engine.padEnd(8)} ${r.summary ? `${r.summary.rps}/s p95 ${r.summary.latency?.p95 ?? '-'} ms errors ${(r.summary.errorRate * 100).toFixed(1)}%` : ''}`,
          );
        return;
      }
      if (action === 'show' && ids.length === 1) {
        const d = await l.api.runs.open({ id: resolve(ids[0]) });
        if (o.json) console.log(JSON.stringify(d, null, 2));
        else
          console.log(
            `${summaryTable(d.run)}\nfolder: ${d.dir}\n${d.timeline.length} seconds, ${d.events.length} events`,
          );
        return;
      }
      if (action === 'delete' && ids.length === 1) {
        await l.api.runs.delete({ id: resolve(ids[0]) });
        console.log(`deleted ${ids[0]}`);
        return;
      }
      if (action === 'compare' && ids.length === 2) {
        const c = await l.api.runs.compare({ a: resolve(ids[0]), b: resolve(ids[1]) });
        if (o.json) {
          console.log(JSON.stringify(c, null, 2));
          return;
        }
        const f = (x: number | null) => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));
        console.log(`${'figure'.padEnd(32)} ${'A'.padStart(10)} ${'B'.padStart(10)} ${'change'.padStart(9)}`);
        for (const d of c.deltas)
          console.log(
            `${d.figure.padEnd(32)} ${f(d.a).padStart(10)} ${f(d.b).padStart(10)} ${(d.change === null ? '-' : `${(d.change * 100).toFixed(0)}%`).padStart(9)}`,
          );
        return;
      }
      throw new LabError(
        `runs ${action ?? ''} ${ids.join(' ')}: expected show ID, delete ID or compare A B`,
        'BAD_INPUT',
      );
    });

  program
    .command('down')
    .description('remove every container, network and volume of the stack, nothing else')
    .action(async () => {
      const l = lab();
      const view = createProgressView();
      l.on('stack.progress', view.onProgress);
      await l.api.stack.down();
      view.done();
    });

  program
    .command('presets')
    .description('the stage presets')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const presets = await lab().api.stack.presets();
      if (o.json) {
        console.log(JSON.stringify(presets, null, 2));
        return;
      }
      for (const p of presets)
        console.log(`${p.name.padEnd(14)} ${p.stage ? `stage ${p.stage}` : '       '}  ${p.summary}`);
    });

  program
    .command('images')
    .description('build the images a topology needs (all of them by default)')
    .addOption(new Option('--preset <name>').choices(presetNames()).default('full'))
    .action(async (o: { preset: string }) => {
      const l = lab();
      await l.runtime.ping();
      const view = createProgressView();
      await l.runtime.prepareImages(await l.api.stack.validate({ preset: o.preset }), view.onProgress);
      view.done();
    });

  program
    .command('report')
    .description('a run as a report: html, pdf, csv, json or a k6-style summary; two runs compared with --compare')
    .argument('<run>', 'a run id (as `scalelab run --json` prints it) or "last"')
    .addOption(new Option('--format <format>', 'what to make').choices([...REPORT_FORMATS]).default('html'))
    .option('--compare <run2>', 'a second run: the report compares the two (B against A)')
    .option('--out <file>', 'where to write it ("-" for stdout); default: its own name in this folder')
    .action(async (run: string, o: { format: ReportFormat; compare?: string; out?: string }) => {
      const file = await lab().api.reports.build({ run, format: o.format, compare: o.compare });
      const body = Buffer.from(file.content, file.encoding);
      if (o.out === '-') {
        process.stdout.write(body);
        return;
      }
      const out = path.resolve(o.out ?? file.filename);
      // Written whole beside the target, then renamed over it: never half a report at that path.
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(`${out}.partial`, body);
      renameSync(`${out}.partial`, out);
      console.log(`${out} (${file.bytes} bytes)`);
    });

  program
    .command('export')
    .description(
      'the stack as files that run without ScaleLab: compose (docker-compose.yml, .env, build contexts, Prometheus and Grafana files) or grafana (prometheus.yml, grafana-dashboard.json)',
    )
    .addArgument(new Argument('<kind>', 'what to export').choices([...STACK_EXPORT_KINDS]))
    .addOption(new Option('--preset <name>', 'a stage preset').choices(presetNames()))
    .option('--topology <file>', 'a topology JSON file')
    .option('--set <field=value>', 'override one field, e.g. api.instances=5 (repeatable)', collect, [])
    .requiredOption('--out <dir>', 'the folder to write into (made when missing; must be empty unless --force)')
    .option('--force', 'write into a folder that already holds files, replacing those of the same name')
    .action(async (kind: StackExportKind, o: TopologyOpts & { out: string; force?: boolean }) => {
      const l = lab();
      const topology = resolveTopology(topologyRequest(o));
      const out = path.resolve(o.out);
      if (existsSync(out) && readdirSync(out).length && !o.force) {
        throw new LabError(
          `${out} is not empty.`,
          'BAD_INPUT',
          'Name a new folder, or add --force to replace the files there.',
        );
      }
      if (kind === 'compose') await l.runtime.ping();
      const view = createProgressView();
      const files = await stackFiles(
        kind,
        topology,
        { runtime: l.runtime, stackDir: l.config.stackDir, appVersion: l.config.appVersion },
        view.onProgress,
      );
      view.done();
      for (const [name, body] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
        writeFileSync(path.join(out, name), body);
      }
      console.log(`${out}: ${Object.keys(files).sort().join(', ')}`);
      if (kind === 'compose') console.log(`start it with: cd ${out} && docker-compose up -d`);
    });

  program
    .command('reap')
    .description('remove what crashed sessions left: stacks with nothing running')
    .action(async () => {
      const reaped = await lab().runtime.reap();
      console.log(reaped.length ? `reaped: ${reaped.join(', ')}` : 'nothing to reap');
    });

  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram((stack) => createLab(stack ? { stack } : {}));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodeOf(err);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('app/cli/main.ts')) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
