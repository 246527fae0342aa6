// A file the Lab made (a report, a handout), saved where the user said: to stdout with "-", else
// written whole beside the target and renamed over it, so a failure never leaves half a file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportedFile } from '../contract/reports.js';
import type { CliContext } from './cli-context.js';

export function saveExported(ctx: CliContext, file: ExportedFile, outOption: string | undefined): void {
  const body = Buffer.from(file.content, file.encoding);
  if (outOption === '-') return ctx.out.write(body);
  const out = path.resolve(outOption ?? file.filename);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(`${out}.partial`, body);
  renameSync(`${out}.partial`, out);
  ctx.print(`${out} (${file.bytes} bytes)`);
}
