// The HTML report printed to PDF by a headless Chromium (browser mode and the CLI; the desktop
// app prints with Electron's printToPDF instead). Every request is refused: the report is
// self-contained, and printing must not reach out.
import { LabError } from '../runtime/errors.js';
import { requireChromium } from './chromium.js';

export type PdfPrinter = (html: string) => Promise<Buffer>;

export const printPdfWithChromium: PdfPrinter = async (html) => {
  const executablePath = requireChromium();
  // Loaded on the first PDF: playwright-core takes a third of a second to import.
  const { chromium } = await import('playwright-core');
  const browser = await chromium
    .launch({ executablePath, headless: true, args: ['--no-sandbox'] })
    .catch((err: Error) => {
      throw new LabError(
        `Chromium at ${executablePath} did not start: ${err.message.split('\n')[0]}`,
        'NO_CHROMIUM',
        'Check it runs (`chromium --headless --version`), or set SCALELAB_CHROMIUM to another Chromium or Chrome.',
      );
    });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
};
