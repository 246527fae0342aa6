// The renderer is served through a custom protocol (app://scalelab/...), not file://, as Electron's
// security guide recommends: a file:// page may read any file the app can, and every file:// page
// shares one origin. Here only the built renderer's own folder answers, and nothing above it.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, fileFor } from './renderer-files.js';

export { APP_ORIGIN } from './renderer-files.js';

/** Before the app is ready: a standard, secure scheme (its own origin, so CSP 'self' means it). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** After the app is ready: serve `root` (the built renderer) on app://scalelab/. */
export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, (req) => {
    const file = fileFor(root, req.url);
    if (!file) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
  });
}
