// Which file of the built renderer an app://scalelab/ URL names (pure, no Electron: tested in
// plain Node). Nothing outside the renderer's folder is ever named.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'scalelab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The file a request names inside `root`, or null when it names anything outside it (pure). */
export function fileFor(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let p: string;
  try {
    p = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (p.includes('\0')) return null;
  const file = path.resolve(root, `.${p === '/' ? '/index.html' : p}`);
  return file.startsWith(path.resolve(root) + path.sep) ? file : null;
}
