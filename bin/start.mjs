#!/usr/bin/env node
// `npm start`: opens the console. Until the console lands (issue 4) there is no window to open,
// so it says so, shows the running stack, and how to drive the engine from the command line.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
console.log(`ScaleLab ${process.env.npm_package_version ?? ''}
The desktop console and its browser mode are not built yet; the engine and the CLI are.
Bring a stack up, change it live, break it, take it down:

  npx scalelab up --preset full        # 9 services on Docker; entry http://127.0.0.1:8080
  npx scalelab status                  # table of services (--json for scripts)
  npx scalelab apply --set cache.enabled=false --set api.instances=5
  npx scalelab fault kill api-2
  npx scalelab down

Current stack:`);
const r = spawnSync(process.execPath, [path.join(root, 'bin', 'scalelab.mjs'), 'status'], { stdio: 'inherit' });
// "not running" (4) and "no Docker engine" (3) are states to report, not failures of `npm start`.
process.exit(r.status === 0 || r.status === 3 || r.status === 4 ? 0 : r.status ?? 1);
