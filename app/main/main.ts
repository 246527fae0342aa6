// The Electron host: one window on the built renderer, the Lab served over IPC. Thin on purpose:
// the engine is app/core; this file only wires a window, its security and a transport.
import { app, BrowserWindow, ipcMain } from 'electron';
import path from 'node:path';
import { createLab } from '../core/create-lab.js';
import type { RpcMessage, Transport } from '../rpc/protocol.js';
import { serve } from '../rpc/serve.js';
import { RPC_CHANNEL } from './ipc-channel.js';
import { askWhereToSave, hardenContents, hardenSession, webPreferences } from './security.js';
import { printPdfWithElectron } from './print-pdf.js';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.js';

const here = path.dirname(process.argv[1] ?? __filename);
const rendererIndex = process.env.SCALELAB_RENDERER ?? path.join(here, '..', 'renderer', 'index.html');
const preload = path.join(here, '..', 'preload', 'preload.cjs');

registerAppScheme();

async function main(): Promise<void> {
  if (app.isPackaged) {
    // Packaged: the stack definitions, load scripts and samples are resources beside the app.
    process.env.SCALELAB_STACK_DIR ??= path.join(process.resourcesPath, 'stack');
    process.env.SCALELAB_LOAD_SCRIPTS ??= path.join(process.resourcesPath, 'load-scripts');
    process.env.SCALELAB_SAMPLES ??= path.join(process.resourcesPath, 'samples');
  }
  // Reports render with the console's components, bundled beside this file by build-electron.ts.
  process.env.SCALELAB_REPORT_RENDERER ??= path.join(here, 'report-renderer.cjs');
  await app.whenReady();
  serveRenderer(path.dirname(rendererIndex));
  hardenSession();
  askWhereToSave();
  const lab = createLab({
    dataDir: process.env.SCALELAB_HOME ?? app.getPath('userData'),
    printPdf: printPdfWithElectron,
  });
  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
    show: false,
    title: 'ScaleLab',
    webPreferences: webPreferences(preload),
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());

  const handlers = new Set<(m: unknown) => void>();
  ipcMain.on(RPC_CHANNEL, (event, message: unknown) => {
    if (event.sender !== win.webContents) return; // only our own window speaks to the Lab
    handlers.forEach((h) => h(message));
  });
  const transport: Transport = {
    send: (m: RpcMessage) => {
      if (!win.isDestroyed()) win.webContents.send(RPC_CHANNEL, m);
    },
    onMessage: (h) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  };
  serve(lab, transport);
  await win.loadURL(`${APP_ORIGIN}/${path.basename(rendererIndex)}`);
  app.on('window-all-closed', () => app.quit());
}

void main();
