// The window's security settings in one place (Electron's security checklist): isolated, sandboxed
// renderer without Node; a strict CSP; no navigation, no new windows, no permissions, no remote content.
import { app, session, shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import path from 'node:path';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export function webPreferences(preload: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // Only the app's own files load (app://, app-protocol.ts): no remote content at all. blob: is
  // what the renderer made itself (an exported report it saves).
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !/^(app|devtools|data|blob):/.test(details.url) });
  });
}

/** Exports arrive as downloads: ask where each goes, starting in the Downloads folder.
 *  SCALELAB_SAVE_DIR saves there without asking (tests, kiosks). */
export function askWhereToSave(): void {
  session.defaultSession.on('will-download', (_e, item) => {
    const dir = process.env.SCALELAB_SAVE_DIR;
    if (dir) {
      item.setSavePath(path.join(dir, path.basename(item.getFilename())));
      return;
    }
    item.setSaveDialogOptions({
      title: 'Save the export',
      defaultPath: path.join(app.getPath('downloads'), item.getFilename()),
    });
  });
}

export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Outside links go to the system browser, never into the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
