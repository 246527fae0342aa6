#!/usr/bin/env node
// Stands in for the k6 binary in tests on machines where k6 cannot be installed: it replays the
// stdout of a REAL k6 v1.3.0 run (../shared/fixtures/k6/out-json.ndjson, `--out json=-` lines) in
// 4 KiB chunks as k6 does, writes that run's real --summary-export, and exits. It invents no k6
// format; it exercises the adapter's process handling: streaming, exit codes, stderr, stop.
// Given an execution segment (--execution-segment a:b --execution-segment-sequence ...), it replays
// only its part: the recorded requests striped across the sequence's segments, request k to
// segment k mod n, as k6 stripes iterations; every generator of a split run together replays the
// recording once. --paused waits for PATCH /v1/status {paused:false}, as k6 does.
//   REPLAY_EXIT=<code>  REPLAY_STDERR=<text>  REPLAY_MS=<total replay time>
//   REPLAY_SEGMENT_EXIT=<segment>=<code>: only that segment's generator ends with that code, at once
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
const text = ourPart(readFileSync(path.join(fixtures, 'out-json.ndjson'), 'utf8'));

/** The recording, or the lines of this generator's segment: a request's points (from its
 *  http_reqs point to the next one's) go to one segment; Metric lines and vus go to every one. */
function ourPart(all) {
  const segment = opt('--execution-segment');
  const sequence = opt('--execution-segment-sequence')?.split(',');
  if (!segment || !sequence) return all;
  const n = sequence.length - 1;
  const mine = sequence.indexOf(segment.split(':')[0]);
  let k = 0;
  let first = true;
  const out = [];
  for (const line of all.split('\n')) {
    if (line.startsWith('{"metric":"http_reqs"')) {
      if (!first) k++;
      first = false;
    }
    const shared = line.startsWith('{"type":"Metric"') || /^\{"metric":"vus(_max)?"/.test(line) || !line;
    if (shared || k % n === mine) out.push(line);
  }
  return out.join('\n');
}
const chunks = [];
for (let i = 0; i < text.length; i += 4096) chunks.push(text.slice(i, i + 4096));
let stopped = false;
let paused = args.includes('--paused');
const [host, port] = (opt('--address') ?? '').split(':');
const rest = port
  ? http
      .createServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          const attributes = req.method === 'PATCH' ? JSON.parse(body).data.attributes : {};
          if (attributes.stopped) stopped = true;
          if (attributes.paused === false) paused = false;
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(readFileSync(path.join(fixtures, 'rest-status.json')));
        });
      })
      .listen(Number(port), host)
  : null;
const [failSegment, failCode] = (process.env.REPLAY_SEGMENT_EXIT ?? '').split('=');
if (failSegment && failSegment === opt('--execution-segment')) {
  process.stderr.write(`replayed failure of segment ${failSegment}\n`);
  process.exit(Number(failCode));
}
while (paused && !stopped) await new Promise((r) => setTimeout(r, 20));
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
