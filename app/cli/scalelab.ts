// The `scalelab` process: runs one command, then exits with its code once stdout is drained
// (to a pipe Node writes asynchronously: exiting at once cut piped output at 64 KiB).
import { runCli } from './main.js';

const flushed = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write('', () => resolve()));

const code = await runCli(process.argv.slice(2));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
