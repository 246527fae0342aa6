// Static assets for the edge-cache stage: generated once at start (deterministic content,
// realistic sizes) and served with Cache-Control so the nginx edge cache may keep them.
import { createHash } from 'node:crypto';

export interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

export function buildStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const add = (path: string, type: string, body: string) => {
    const buf = Buffer.from(body);
    files.set(path, { body: buf, type, etag: `"${createHash('sha1').update(buf).digest('hex').slice(0, 16)}"` });
  };
  add(
    '/static/app.js',
    'application/javascript',
    Array.from({ length: 1500 }, (_, i) => `export const f${i} = (x) => x * ${i} + ${i % 7};`).join('\n'),
  );
  add(
    '/static/style.css',
    'text/css',
    Array.from(
      { length: 300 },
      (_, i) =>
        `.c${i} { margin: ${i % 16}px; color: #${((i * 2654435761) % 0xffffff).toString(16).padStart(6, '0')}; }`,
    ).join('\n'),
  );
  for (let n = 1; n <= 20; n++) {
    const circles = Array.from(
      { length: 40 * n },
      (_, i) =>
        `<circle cx="${(i * 37) % 400}" cy="${(i * 91) % 300}" r="${1 + (i % 9)}" fill="#${((n * 97 + i * 13) % 0xfff).toString(16).padStart(3, '0')}"/>`,
    ).join('');
    add(
      `/static/img/${n}.svg`,
      'image/svg+xml',
      `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">${circles}</svg>`,
    );
  }
  return files;
}
