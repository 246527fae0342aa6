// Is there an Electron binary? electron >= 45 fetches it on first use; that happens in a child
// process so its own output (a stack trace when the fetch fails) stays out of the user's way.
import { spawn } from 'node:child_process';

export async function probeElectronBinary(): Promise<{ path: string | null; why: string }> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write(String(require("electron")))'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code === 0 && out) return { path: out.trim(), why: '' };
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(err))
    return { path: null, why: 'its download failed: this machine cannot reach the Electron download site' };
  return { path: null, why: err.trim().split('\n')[0] || 'the electron package is not installed' };
}
