// `scalelab`: the command line over the same Lab as the console, one file a command (commands/).
//   scalelab up --preset full | --topology FILE [--set api.instances=5]
//   scalelab status [--json]   scalelab apply ...   scalelab fault kill api-2   scalelab down
import { Command, CommanderError, Option } from 'commander';
import { errorInfo } from '../contract/errors.js';
import type { CliContext, LabHandle, Writer } from './cli-context.js';
import { registerApply } from './commands/apply.js';
import { registerCourse } from './commands/course.js';
import { registerDown } from './commands/down.js';
import { registerExport } from './commands/export.js';
import { registerFault } from './commands/fault.js';
import { registerImages } from './commands/images.js';
import { registerLogs } from './commands/logs.js';
import { registerMonitoring } from './commands/monitoring.js';
import { registerNode } from './commands/node.js';
import { registerPresets } from './commands/presets.js';
import { registerPurge } from './commands/purge.js';
import { registerReap } from './commands/reap.js';
import { registerExplain } from './commands/explain.js';
import { registerDrill } from './commands/drill.js';
import { registerReplication } from './commands/replication.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerSweep } from './commands/sweep.js';
import { registerCurves } from './commands/curves.js';
import { registerRuns } from './commands/runs.js';
import { registerStatus } from './commands/status.js';
import { registerUp } from './commands/up.js';
import { registerVersion } from './commands/version.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { PRESET_NAMES } from './preset-names.js';

export interface CliIo {
  out: Writer;
  err: Writer;
  /** Makes the Lab for a stack name (undefined: $SCALELAB_STACK or "lab") on a target (undefined: $SCALELAB_TARGET or local). */
  makeLab?: (stack: string | undefined, target?: string) => Promise<LabHandle>;
}

/** The engine is loaded only when a command needs it: `--help` starts without it. */
async function engineLab(stack: string | undefined, target?: string): Promise<LabHandle> {
  const { createLab } = await import('../core/create-lab.js');
  // An empty --stack is refused (by the stack name check), never taken as the default.
  return createLab({
    ...(stack !== undefined ? { stack } : {}),
    ...(target !== undefined ? { target: target as 'local' | 'swarm' } : {}),
  });
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('scalelab')
    .description('Bring up a real scaling stack on Docker, change it live, break it, tear it down.')
    .option('--stack <name>', 'stack name (labels and container names); default $SCALELAB_STACK or "lab"')
    .addOption(
      new Option(
        '--target <target>',
        'where the stack runs: the local engine, or the Swarm it manages; default $SCALELAB_TARGET or local',
      ).choices(['local', 'swarm']),
    )
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => ctx.out.write(s), writeErr: (s) => ctx.err.write(s) })
    .exitOverride();
  registerUp(program, ctx, PRESET_NAMES);
  registerStatus(program, ctx);
  registerApply(program, ctx, PRESET_NAMES);
  registerFault(program, ctx);
  registerNode(program, ctx);
  registerLogs(program, ctx);
  registerPurge(program, ctx);
  registerReplication(program, ctx);
  registerMonitoring(program, ctx);
  registerExplain(program, ctx);
  registerDrill(program, ctx);
  registerRun(program, ctx);
  registerSweep(program, ctx);
  registerCurves(program, ctx);
  registerRuns(program, ctx);
  registerDown(program, ctx);
  registerPresets(program, ctx);
  registerImages(program, ctx, PRESET_NAMES);
  registerVersion(program, ctx);
  registerReport(program, ctx);
  registerExport(program, ctx, PRESET_NAMES);
  registerReap(program, ctx);
  registerCourse(program, ctx);
  return program;
}

export async function runCli(
  argv: string[],
  io: CliIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  let exitCode: number = EXIT.ok;
  let lab: Promise<LabHandle> | null = null;
  // The program is built from the context and the context reads the program's --stack: late-bound.
  const stackOption = () => program.opts().stack as string | undefined;
  const ctx: CliContext = {
    lab: () => (lab ??= (io.makeLab ?? engineLab)(stackOption(), program.opts().target as string | undefined)),
    stackOption,
    out: io.out,
    err: io.err,
    print: (line = '') => io.out.write(`${line}\n`),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    const info = errorInfo(err);
    io.err.write(`error: ${info.message}\n${info.hint ? `  → ${info.hint}\n` : ''}`);
    return exitCodeOf(err);
  }
}
