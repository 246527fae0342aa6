#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary can be had; otherwise browser mode, which
// serves the same console on 127.0.0.1 and prints its URL. SCALELAB_BROWSER=1 forces browser mode.
import { spawn } from 'node:child_process';
import { register } from 'tsx/esm/api';

register();

async function electronBinary() {
  if (process.env.SCALELAB_BROWSER === '1') return { path: null, why: 'SCALELAB_BROWSER=1' };
  const { probeElectronBinary } = await import('../app/main/electron-binary.ts');
  return probeElectronBinary();
}

const electron = await electronBinary();
if (electron.path) {
  const { buildRendererIfStale } = await import('../app/bridge/main.ts');
  const { buildElectron } = await import('../app/main/build-electron.ts');
  const rendererDir = await buildRendererIfStale();
  const { main } = await buildElectron();
  const started = Date.now();
  const child = spawn(electron.path, [main], {
    stdio: 'inherit',
    env: { ...process.env, SCALELAB_RENDERER: `${rendererDir}/index.html` },
  });
  const code = await new Promise((resolve) => {
    child.on('exit', resolve);
    child.on('error', () => resolve(-1));
  });
  // An Electron that cannot start at all (no display, missing libraries) falls back; a closed window just ends.
  if (code === 0 || Date.now() - started > 5000) process.exit(code ?? 0);
  console.log(`ScaleLab: Electron exited with code ${code} at start; starting browser mode instead.`);
} else {
  console.log(`ScaleLab: no Electron binary here (${electron.why}); starting browser mode.`);
}
const { startBrowserMode } = await import('../app/bridge/main.ts');
const { bridge } = await startBrowserMode();
const stop = () => {
  void bridge.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
