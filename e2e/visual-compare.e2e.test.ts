// The screenshot comparison itself, on pictures made here: what it counts as a difference.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { comparePngs } from './fixtures/visual.js';

function picture(w: number, h: number, paint?: (x: number, y: number) => [number, number, number]): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = paint?.(x, y) ?? [255, 255, 255];
      const i = (y * w + x) * 4;
      png.data.set([r, g, b, 255], i);
    }
  return PNG.sync.write(png);
}

describe('screenshot comparison', () => {
  it('finds no difference between the same pictures, and every changed pixel otherwise', () => {
    expect(comparePngs(picture(40, 30), picture(40, 30))).toMatchObject({ differing: 0, ratio: 0 });
    const box = picture(40, 30, (x, y) => (x >= 10 && x < 20 && y >= 5 && y < 10 ? [220, 30, 30] : [255, 255, 255]));
    const r = comparePngs(picture(40, 30), box);
    expect(r.differing).toBe(50);
    expect(r.ratio).toBeCloseTo(50 / 1200);
  });

  it('counts a picture of another size as wholly different', () => {
    expect(comparePngs(picture(40, 30), picture(40, 31)).ratio).toBe(1);
  });
});
