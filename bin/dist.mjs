#!/usr/bin/env node
// `npm run dist`: builds the console, the Electron bundles and the API bundle, then packages with
// electron-builder (electron-builder.yml). It needs the Electron binary and electron-builder's own
// downloads; where they cannot be fetched, it stops and says so.
import { spawn } from 'node:child_process';
import { register } from 'tsx/esm/api';

register();
const { probeElectronBinary } = await import('../app/main/electron-binary.ts');
const electron = await probeElectronBinary();
if (!electron.path) {
  console.error(
    `npm run dist needs the Electron binary, and it cannot be had here (${electron.why}).\nRun it on a machine that can download Electron (and electron-builder's tools); \`npm start\` still runs the console in browser mode here.`,
  );
  process.exit(2);
}
const { buildRendererIfStale } = await import('../app/bridge/main.ts');
const { buildElectron } = await import('../app/main/build-electron.ts');
const { buildApiBundle } = await import('../stack/api/build.ts');
await buildRendererIfStale();
await buildElectron();
await buildApiBundle();
const targets = process.argv.slice(2);
const child = spawn('npx', ['--no-install', 'electron-builder', '--config', 'electron-builder.yml', ...targets], {
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 1));
