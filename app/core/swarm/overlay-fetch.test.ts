import { describe, expect, it } from 'vitest';
import { splitBodies } from './overlay-fetch.js';

describe('bodies read on the overlay', () => {
  it('splits one exec into each URL body, null for one that did not answer', () => {
    const end = '\n--scalelab-end-of-body--\n';
    const out = `a 1\nb 2\n${end}${end}c 3\n${end}`;
    expect(splitBodies(out, 3)).toEqual(['a 1\nb 2\n', null, 'c 3\n']);
    // Cut short (the exec timed out): what is missing is null.
    expect(splitBodies(`a 1\n${end}`, 3)).toEqual(['a 1\n', null, null]);
  });
});
