import { describe, expect, it } from 'vitest';
import {
  defaultLayout,
  fitLayout,
  moveChart,
  placeChart,
  readLayout,
  toggleCollapsed,
  toggleEnlarged,
} from './chart-layout.js';

const ids = ['a', 'b', 'c', 'd'];

describe('chart layout', () => {
  it('moves a chart one place, and not past either end', () => {
    const l = defaultLayout(ids);
    expect(moveChart(l, 'b', -1).order).toEqual(['b', 'a', 'c', 'd']);
    expect(moveChart(l, 'd', 1)).toBe(l);
    expect(moveChart(l, 'a', -1)).toBe(l);
  });

  it('drops a chart where another is, the others shifting', () => {
    expect(placeChart(defaultLayout(ids), 'd', 'b').order).toEqual(['a', 'd', 'b', 'c']);
    expect(placeChart(defaultLayout(ids), 'a', 'c').order).toEqual(['b', 'c', 'a', 'd']);
  });

  it('enlarges one chart at a time, and opens a collapsed one it enlarges', () => {
    let l = toggleCollapsed(defaultLayout(ids), 'c');
    expect(l.collapsed).toEqual(['c']);
    l = toggleEnlarged(l, 'c');
    expect(l).toMatchObject({ enlarged: 'c', collapsed: [] });
    expect(toggleEnlarged(l, 'a').enlarged).toBe('a');
    expect(toggleCollapsed(l, 'c')).toMatchObject({ enlarged: null, collapsed: ['c'] });
  });

  it('fits a stored layout to the charts there are: new ones at the end, gone ones forgotten', () => {
    const stored = { order: ['d', 'gone', 'b', 'b'], collapsed: ['gone', 'a'], enlarged: 'gone' };
    expect(fitLayout(stored, ids)).toEqual({ order: ['d', 'b', 'a', 'c'], collapsed: ['a'], enlarged: null });
    expect(readLayout({ getItem: () => '{not json' }, ids)).toEqual(defaultLayout(ids));
    expect(readLayout({ getItem: () => '{"order": 5}' }, ids)).toEqual(defaultLayout(ids));
  });
});
