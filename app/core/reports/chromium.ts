// Where a headless Chromium can be had for printing reports to PDF: SCALELAB_CHROMIUM, else the
// usual install paths of Chromium and Chrome. None found is a clear error saying what to do.
import { existsSync } from 'node:fs';
import { LabError } from '../runtime/errors.js';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SCALELAB_CHROMIUM) return existsSync(env.SCALELAB_CHROMIUM) ? env.SCALELAB_CHROMIUM : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = findChromium(env);
  if (found) return found;
  throw new LabError(
    env.SCALELAB_CHROMIUM
      ? `No Chromium at SCALELAB_CHROMIUM=${env.SCALELAB_CHROMIUM}.`
      : 'A PDF needs a headless Chromium or Chrome, and none is installed here.',
    'NO_CHROMIUM',
    'Install one (Debian/Ubuntu: apt-get install chromium) or set SCALELAB_CHROMIUM to its path; or export the HTML report and print it from any browser. The desktop app prints PDFs itself.',
  );
}
