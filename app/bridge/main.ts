// Browser mode: build the renderer if its sources changed, serve it and the Lab on 127.0.0.1,
// print the URL (with its token) and try to open a browser. `npm start` lands here when no
// Electron binary can be had.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../core/create-lab.js';
import { startBridge } from './bridge-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererSrc = path.join(root, 'app', 'renderer');
const rendererOut = path.join(root, 'dist', 'renderer');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs),
    0,
  );
}

export async function buildRendererIfStale(log: (s: string) => void = console.log): Promise<string> {
  const index = path.join(rendererOut, 'index.html');
  if (
    existsSync(index) &&
    statSync(index).mtimeMs >=
      Math.max(newest(rendererSrc), newest(path.join(root, 'app', 'contract')), newest(path.join(root, 'app', 'rpc')))
  )
    return rendererOut;
  log('building the console (vite)…');
  const { build } = await import('vite');
  // Vite takes production-ness from NODE_ENV: a build made inside a test run (NODE_ENV=test) was a
  // development build, served afterwards to whoever started the console.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return rendererOut;
}

export async function startBrowserMode(o: { port?: number; open?: boolean } = {}) {
  const staticDir = await buildRendererIfStale();
  const lab = createLab();
  const bridge = await startBridge({ lab, staticDir, port: o.port ?? Number(process.env.SCALELAB_PORT ?? 0) });
  console.log(
    `\nScaleLab console (browser mode): ${bridge.url}\n(open it in a browser on this machine; Ctrl-C stops it)\n`,
  );
  if (o.open !== false && process.env.SCALELAB_NO_OPEN !== '1') {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    const child = spawn(opener, [bridge.url], { stdio: 'ignore', detached: true });
    child.on('error', () => console.log(`(no browser could be opened with ${opener}: open the URL yourself)`));
    child.unref();
  }
  return { bridge, lab };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { bridge } = await startBrowserMode();
  const stop = () => {
    void bridge.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
