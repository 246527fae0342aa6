// PDFs in the desktop app: Electron's own printToPDF on a hidden, sandboxed window with
// JavaScript off, instead of looking for a Chromium on the machine.
import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../core/reports/pdf.js';

export const printPdfWithElectron: PdfPrinter = async (html) => {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
  try {
    await win.loadURL(`data:text/html;base64,${Buffer.from(html).toString('base64')}`);
    return await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
  } finally {
    win.destroy();
  }
};
