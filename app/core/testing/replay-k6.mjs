#!/usr/bin/env node
// Stands in for the k6 binary in tests on machines where k6 cannot be installed: it replays the
// stdout of a REAL k6 v1.3.0 run (../shared/fixtures/k6/out-json.ndjson, `--out json=-` lines) in
// 4 KiB chunks as k6 does, writes that run's real --summary-export, and exits. It invents no k6
// format; it exercises the adapter's process handling: streaming, exit codes, stderr, stop.
//   REPLAY_EXIT=<code>  REPLAY_STDERR=<text>  REPLAY_MS=<total replay time>
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// REPLAY_FIXTURES: where the recordings are when this runs in a container (tests of the image mode).
const fixtures =
  process.env.REPLAY_FIXTURES ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'k6-fixtures');
const args = process.argv.slice(2);
if (args[0] === 'version') {
  console.log('k6 v1.3.0 (replay of a recorded k6 v1.3.0 run)');
  process.exit(0);
}
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const text = readFileSync(path.join(fixtures, 'out-json.ndjson'), 'utf8');
const chunks = [];
for (let i = 0; i < text.length; i += 4096) chunks.push(text.slice(i, i + 4096));
let stopped = false;
const [host, port] = (opt('--address') ?? '').split(':');
const rest = port
  ? http
      .createServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          if (req.method === 'PATCH' && JSON.parse(body).data.attributes.stopped) stopped = true;
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(readFileSync(path.join(fixtures, 'rest-status.json')));
        });
      })
      .listen(Number(port), host)
  : null;
const pause = Number(process.env.REPLAY_MS ?? 1000) / chunks.length;
for (const c of chunks) {
  if (stopped) break;
  process.stdout.write(c);
  await new Promise((r) => setTimeout(r, pause));
}
if (process.env.REPLAY_STDERR) process.stderr.write(`${process.env.REPLAY_STDERR}\n`);
if (opt('--summary-export') && !stopped)
  writeFileSync(opt('--summary-export'), readFileSync(path.join(fixtures, 'summary-export.json')));
rest?.close();
process.exitCode = stopped ? 105 : Number(process.env.REPLAY_EXIT ?? 0);
