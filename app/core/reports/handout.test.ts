// A chapter's handout, built by the same renderer module and PDF printer as the reports.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLab } from '../create-lab.js';
import { CHAPTERS } from '../course/chapters.js';
import { findChromium } from './chromium.js';

const lab = createLab({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'scalelab-handout-')) });
const decode = (html: string) =>
  html
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('chapter handouts', () => {
  it.each(CHAPTERS.map((c) => [c.id, c] as const))(
    '%s: every lesson with its question, steps and check, the answers last',
    async (_, chapter) => {
      const file = await lab.api.reports.handout({ chapter: chapter.id, format: 'html' });
      expect(file.filename).toBe(`scalelab-chapter-${chapter.number}-${chapter.id}.html`);
      const html = decode(file.content);
      expect(html).toContain("default-src 'none'");
      expect(html).toContain(`Chapter ${chapter.number}: ${chapter.title}`);
      for (const l of chapter.lessons) {
        expect(html).toContain(l.predict.question);
        for (const s of l.steps) expect(html).toContain(s);
        expect(html).toContain(l.check.describe);
        // The answer is printed after every question, never beside it.
        expect(html.indexOf(l.predict.why)).toBeGreaterThan(html.indexOf('data-testid="handout-answers"'));
      }
    },
  );

  it('an unknown chapter is a clear error listing the chapters', async () => {
    await expect(lab.api.reports.handout({ chapter: 'nope', format: 'html' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      hint: expect.stringContaining('one-server'),
    });
  });

  it.skipIf(!findChromium())(
    'prints to PDF',
    async () => {
      const pdf = await lab.api.reports.handout({ chapter: 'cache', format: 'pdf' });
      expect(pdf.mime).toBe('application/pdf');
      expect(Buffer.from(pdf.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    },
    60_000,
  );
});
