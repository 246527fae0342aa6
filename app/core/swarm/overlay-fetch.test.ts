import { describe, expect, it } from 'vitest';
import { parseStatusLast, splitBodies } from './overlay-fetch.js';

describe('bodies read on the overlay', () => {
  it('splits one exec into each URL body, null for one that did not answer', () => {
    const end = '\n--scalelab-end-of-body--\n';
    const out = `a 1\nb 2\n${end}${end}c 3\n${end}`;
    expect(splitBodies(out, 3)).toEqual(['a 1\nb 2\n', null, 'c 3\n']);
    // Cut short (the exec timed out): what is missing is null.
    expect(splitBodies(`a 1\n${end}`, 3)).toEqual(['a 1\n', null, null]);
  });

  it("reads a call's status from curl's last line, its body before; no status is no answer", () => {
    expect(parseStatusLast('{"a":\n1}\n200', 'u')).toEqual({ status: 200, text: '{"a":\n1}' });
    expect(parseStatusLast('\n503', 'u')).toEqual({ status: 503, text: '' });
    expect(() => parseStatusLast('\n000', 'http://x:8008/cluster')).toThrow(
      'no answer from http://x:8008/cluster on the overlay',
    );
    expect(() => parseStatusLast('', 'u')).toThrow(/no answer/);
  });
});
