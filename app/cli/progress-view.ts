// Shows stack progress: on a terminal one line per service, redrawn in place; elsewhere
// (CI logs, pipes) one plain line per event.
import type { StackProgress } from '../contract/stack.js';
import type { Writer } from './cli-context.js';

const ICON: Record<StackProgress['phase'], string> = {
  image: '⧗',
  create: '·',
  start: '▸',
  health: '…',
  ready: '✓',
  update: '↻',
  remove: '✗',
  error: '!',
};

export function createProgressView(out: Writer = process.stderr): {
  onProgress: (e: StackProgress) => void;
  done: () => void;
} {
  const started = Date.now();
  const secs = () => ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  if (!out.isTTY) {
    return {
      onProgress: (e) =>
        out.write(
          `${secs()}s  ${e.service.padEnd(24)} ${e.phase.padEnd(7)} ${e.message}${e.progress !== undefined ? ` (${Math.round(e.progress * 100)}%)` : ''}\n`,
        ),
      done: () => undefined,
    };
  }
  const lines = new Map<string, string>();
  let drawn = 0;
  const draw = () => {
    if (drawn) out.write(`\x1b[${drawn}A`);
    for (const line of lines.values()) out.write(`\x1b[2K${line}\n`);
    drawn = lines.size;
  };
  return {
    onProgress: (e) => {
      const bar = e.progress !== undefined ? ` [${'#'.repeat(Math.round(e.progress * 20)).padEnd(20)}]` : '';
      lines.set(
        e.service,
        `${ICON[e.phase]} ${e.service.padEnd(24)} ${e.phase.padEnd(7)}${bar} ${e.message.slice(0, 60)}  ${secs()}s`,
      );
      draw();
    },
    done: () => undefined,
  };
}
